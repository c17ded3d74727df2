package dev.kiln.runtime;

import dev.kiln.interpreter.gc.GcRefs;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The GC references a store's Java side holds: roots of every collection, so a value Wasm gave to
 * Java stays valid while Java can still use it (as wasmtime's {@code Rooted} and
 * {@code OwnedRooted}).
 * <ul>
 * <li><b>Scoped</b>: a reference that reaches Java (a call's result, a host function's argument, a
 * new externref) is rooted in the innermost open {@link GcScope}, and released when that scope
 * closes. A host function call is a scope of its own. Outside every scope the reference stays
 * rooted until the store closes (each word once).</li>
 * <li><b>Handles</b>: {@link GcRef}s, rooted until closed or until the JVM collects the handle.</li>
 * </ul>
 * Only words that can name a collectable value are kept (GC objects' addresses, host objects).
 */
final class JavaRoots {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Rooted outside every scope: until the store closes. */
    private final Map<Long, Boolean> unscoped = new HashMap<>();
    private long[] scoped = new long[16];
    private int scopedCount;
    private int depth;
    /** Handles by id (a cleaner may remove one from another thread). */
    private final Map<Long, Long> handles = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong();

    /** Whether {@code word} needs rooting: an object's address or a host object (not null, i31 or a function). */
    static boolean collectable(long word) {
        return GcRefs.isObject(word) || GcRefs.isHost(word);
    }

    /** Roots {@code word} in the innermost scope (or until the store closes). */
    synchronized void root(long word) {
        if (!collectable(word)) return;
        if (depth == 0) {
            unscoped.put(word, Boolean.TRUE);
            return;
        }
        if (scopedCount == scoped.length) scoped = Arrays.copyOf(scoped, scopedCount * 2);
        scoped[scopedCount++] = word;
    }

    /** Opens a scope; returns its mark for {@link #close}. */
    synchronized int open() {
        depth++;
        return scopedCount;
    }

    /** Closes the scope opened with {@code mark}, releasing what was rooted in it. */
    synchronized void close(int mark) {
        if (depth == 0 || mark > scopedCount) throw new IllegalStateException("GC scopes must close innermost first");
        depth--;
        scopedCount = mark;
    }

    /** A handle on {@code word}, rooted until closed or collected by the JVM. */
    GcRef handle(Store store, long word) {
        long id = nextHandle.incrementAndGet();
        handles.put(id, word);
        GcRef ref = new GcRef(store, word);
        ref.cleanable = CLEANER.register(ref, () -> handles.remove(id));
        return ref;
    }

    /** Reports every rooted word. */
    synchronized void report(LongConsumer root) {
        for (long w : unscoped.keySet()) root.accept(w);
        for (int i = 0; i < scopedCount; i++) root.accept(scoped[i]);
        for (long w : handles.values()) root.accept(w);
    }

    /** Words rooted now (scoped, unscoped and handles), for tests. */
    synchronized int size() {
        return unscoped.size() + scopedCount + handles.size();
    }

    synchronized void clear() {
        unscoped.clear();
        scopedCount = 0;
        handles.clear();
    }
}
