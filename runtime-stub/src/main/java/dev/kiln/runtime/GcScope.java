package dev.kiln.runtime;

/**
 * A region of Java code whose GC references are released together: every reference that reaches
 * Java while the scope is open (call results, host function arguments, externrefs made with
 * {@link Store#externRef}) stays valid until {@link #close()}, and may be collected after it (as
 * wasmtime's {@code RootScope}). Scopes nest and close innermost first; use try-with-resources.
 * Take a {@link GcRef} with {@link Store#gcRef(long)} for a reference that must outlive the scope.
 */
public final class GcScope implements AutoCloseable {
    private final Store store;
    private final int mark;
    private boolean closed;

    GcScope(Store store, int mark) {
        this.store = store;
        this.mark = mark;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        store.javaRoots().close(mark);
    }
}
