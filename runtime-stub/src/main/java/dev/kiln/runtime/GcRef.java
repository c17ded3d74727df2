package dev.kiln.runtime;

import java.lang.ref.Cleaner;

/**
 * A handle on a GC reference (a struct, array, i31 or host object of a store): the value stays
 * alive, whatever collections run, until the handle is closed or the JVM collects the handle
 * (as wasmtime's {@code OwnedRooted}). {@link Store#gcRef(long)} makes one; {@link Store#externObject}
 * gives one for a GC value made external ({@code extern.convert_any}), and {@link Store#externRef}
 * of a handle gives back its reference, so the value keeps its identity on the way back into Wasm.
 */
public final class GcRef implements AutoCloseable {
    private final Store store;
    private final long raw;
    Cleaner.Cleanable cleanable;

    GcRef(Store store, long raw) {
        this.store = store;
        this.raw = raw;
    }

    /** The raw reference (valid while this handle is open). */
    public long raw() {
        return raw;
    }

    /** The store the reference belongs to. */
    public Store store() {
        return store;
    }

    /** What the reference is: "i31", "struct", "array" or "host" (see {@link Store#referenceKind}). */
    public String kind() {
        return store.referenceKind(raw);
    }

    /** Releases the reference: a later collection may free it. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Handles are equal when they name the same reference of the same store. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GcRef r && r.store == store && r.raw == raw;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(raw);
    }

    @Override
    public String toString() {
        return "GcRef[" + kind() + " 0x" + Long.toHexString(raw) + "]";
    }
}
