package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;

/**
 * GC instructions carried out for native code (the runtime's GC helper), by the interpreter's own
 * implementation ({@link GcOps}), so both tiers share one definition of every GC instruction.
 * Values are laid out two slots each ({@code slots[2k]}, {@code slots[2k + 1]}: a v128 fills
 * both, any other value the first): the {@code nargs} operands, then the {@code nres} results.
 */
public final class GcInstructions {
    private GcInstructions() {
    }

    /** Runs GC instruction {@code op} with immediates {@code x}, {@code y} (as in the IR) on {@code slots}. */
    public static void run(InstanceContext ctx, Opcode op, long x, long y, long[] slots, int nargs, int nres) {
        int[] code = new int[6 + nargs + nres];
        code[0] = Op.GC;
        code[1] = op.ordinal();
        code[2] = (int) x;
        code[3] = (int) y;
        code[4] = nargs;
        code[5] = nres;
        for (int k = 0; k < nargs + nres; k++) code[6 + k] = 2 * k;
        GcOps.run(Op.GC, slots, code, 0, 0, ctx);
    }
}
