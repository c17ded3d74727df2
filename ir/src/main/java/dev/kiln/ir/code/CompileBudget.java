package dev.kiln.ir.code;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;

/**
 * The per-function bound on the compiler's memory. The compiler's peak heap grows linearly with a
 * function's body: a straight-line body of 2.55 million {@code i32.add}s (7.65 MB) holds about 225 MB
 * live at its peak (one IR {@code Instruction} of 56 bytes per Wasm instruction with its operands and
 * result inline, plus a few arrays per value in the optimiser and the register allocator), about 30
 * bytes per body byte (50-60 before the IR kept operands inline);
 * {@link #BYTES_PER_BODY_BYTE} rounds it up. A function
 * whose estimate exceeds {@link CodeOptions#compileBudget()} is refused before any of that is
 * allocated, with {@link FunctionTooLargeException}.
 */
public final class CompileBudget {
    /** The compiler's peak memory per byte of function body (measured ~30 on a straight-line body, rounded up). */
    public static final long BYTES_PER_BODY_BYTE = 32;

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
