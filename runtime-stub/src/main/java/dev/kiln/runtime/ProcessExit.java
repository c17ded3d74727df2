package dev.kiln.runtime;

/**
 * Thrown by a host function (WASI {@code proc_exit}) to end the program with an exit code. Not a
 * trap: the runtime unwinds every Wasm frame and hands the code to the embedder.
 */
public final class ProcessExit extends RuntimeException {
    private final int code;

    public ProcessExit(int code) {
        super("exit " + code, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
