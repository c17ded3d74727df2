package dev.kiln.ir.code;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;

/**
 * The per-function bound on the compiler's memory. The compiler's peak heap grows linearly with a
 * function's body: a straight-line body of 2.55 million {@code i32.add}s (7.65 MB) held about 460 MB
 * live (one IR {@code Instruction} of 48 bytes and three {@code int[]}s per Wasm instruction, plus
 * value tables), about 60 bytes per body byte; {@link #BYTES_PER_BODY_BYTE} rounds it up. A function
 * whose estimate exceeds {@link CodeOptions#compileBudget()} is refused before any of that is
 * allocated, with {@link FunctionTooLargeException}.
 */
public final class CompileBudget {
    /** The compiler's peak memory per byte of function body (measured ~60, rounded up). */
    public static final long BYTES_PER_BODY_BYTE = 64;

    /** Half of this JVM's maximum heap: room for the program and a second compiler thread. */
    public static final long DEFAULT = Runtime.getRuntime().maxMemory() / 2;

    private CompileBudget() {
    }

    /** The estimated peak compiler memory for a body of {@code codeLength} bytes. */
    public static long estimate(long codeLength) {
        return codeLength * BYTES_PER_BODY_BYTE;
    }

    /** Throws {@link FunctionTooLargeException} when defined function {@code funcIndex} is over {@code options}' budget. */
    public static void check(ValidatedModule vm, int funcIndex, CodeOptions options) {
        Module m = vm.module();
        long size = m.body(funcIndex).codeLength();
        if (estimate(size) > options.compileBudget()) {
            throw new FunctionTooLargeException(m.functionDisplayName(funcIndex), size, estimate(size), options.compileBudget());
        }
    }
}
