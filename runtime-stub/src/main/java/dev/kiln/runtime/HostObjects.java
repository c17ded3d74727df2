package dev.kiln.runtime;

import dev.kiln.interpreter.gc.GcRefs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A store's host objects (the Java objects behind externref values): handle numbers are never
 * reused, so a released handle is an error ({@link #get}), never another object. A collection
 * marks the handles it reaches ({@link #mark}; the conservative scan of the owner's native frames
 * reports the handles they hold too) and then {@link #sweep}s the others away, unless native frames
 * of the store are on the stack that the collection did not scan (it runs on another thread): then
 * it keeps every host object (their references may sit in those frames' registers or spill slots).
 */
final class HostObjects {
    private final Map<Long, Object> byHandle = new HashMap<>();
    private final Map<Object, Long> handles = new IdentityHashMap<>();
    private final Set<Long> marked = new HashSet<>();
    private long lastHandle;
    private int liveAfterSweep;

    /** The externref of {@code o} (the same word while it lives). */
    synchronized long ref(Object o) {
        Long h = handles.get(o);
        if (h != null) return h;
        long ref = GcRefs.host(++lastHandle);
        byHandle.put(ref, o);
        handles.put(o, ref);
        return ref;
    }

    /** The object of {@code ref}, or null when it is no live host object of the store. */
    synchronized Object get(long ref) {
        return byHandle.get(ref);
    }

    synchronized void mark(long ref) {
        if (byHandle.containsKey(ref)) marked.add(ref);
    }

    /** Drops the objects no collection root reached (all kept when {@code keepAll}). */
    synchronized void sweep(boolean keepAll) {
        if (!keepAll) {
            byHandle.keySet().retainAll(marked);
            handles.values().retainAll(marked);
        }
        marked.clear();
        liveAfterSweep = byHandle.size();
    }

    /** Whether enough host objects were made since the last sweep that a collection is due. */
    synchronized boolean collectionDue() {
        return byHandle.size() >= 2 * liveAfterSweep + 4096;
    }

    synchronized int size() {
        return byHandle.size();
    }

    synchronized void clear() {
        byHandle.clear();
        handles.clear();
        marked.clear();
    }
}
