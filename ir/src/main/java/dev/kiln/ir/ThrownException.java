package dev.kiln.ir;

/**
 * A WebAssembly exception in flight inside kiln (thrown by {@code throw}, {@code throw_ref},
 * {@code rethrow}, or by a host function): the tag it was thrown with (the runtime's tag instance,
 * compared by identity) and the payload's values in their slot representation. It unwinds
 * interpreter frames as a Java exception and native frames through the execution state's pending
 * slot; the runtime shows it to Java code as {@code dev.kiln.runtime.WasmException}. Traps are
 * {@link TrapException}s, never this: Wasm cannot catch them. No Java stack trace is recorded
 * (throwing is part of ordinary control flow).
 */
public final class ThrownException extends RuntimeException {
    /** The tag instance (identity decides which catch clauses match). */
    public final Object tag;
    /** The payload, one slot value per parameter of the tag's type. */
    public final long[] payload;
    /** The {@code exnref} value naming this exception once one was made (0: none yet). */
    public long ref;
    /** The runtime's public view of this exception once made (kept so a rethrow from Java is the same exception). */
    public Object publicView;

    public ThrownException(Object tag, long[] payload) {
        super(null, null, false, false);
        this.tag = tag;
        this.payload = payload;
    }

    @Override
    public String getMessage() {
        return "uncaught WebAssembly exception (tag " + tag + ", " + payload.length + " payload values)";
    }
}
