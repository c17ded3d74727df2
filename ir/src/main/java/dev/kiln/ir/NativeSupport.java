package dev.kiln.ir;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;

/**
 * The WebAssembly 3.0 features the native backends do not lower yet: exceptions (issue 17), and
 * GC instructions with more than {@link GcLowering#MAX_HELPER_OPERANDS} operands. A backend asks here before
 * it compiles a function and declines it (the function keeps running in the interpreter under the
 * {@code auto} tier); one definition for both backends.
 */
public final class NativeSupport {
    private NativeSupport() {
    }

    /** Null when the backends can compile {@code f}, else why not. */
    public static String unsupported(Module m, IrFunction f) {
        String gc = gcUse(m, f);
        if (gc != null) return gc;
        for (BasicBlock b : f.blocks) {
            switch (b.terminator) {
                case Terminator.Throw th -> {
                    return "it throws (" + th.instruction.op + ")";
                }
                case Terminator.Guarded g -> {
                    return "it calls inside a try region";
                }
                default -> { }
            }
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.CATCH) return "it uses " + i.op;
            }
        }
        return null;
    }

    /**
     * GC (issue 18): native code carries out every GC instruction ({@link GcLowering}) and holds GC
     * references anywhere (collections scan native frames conservatively); call_indirect checks
     * declared function subtypes ({@link GcLowering#mayCallSubtypes}). Only a GC instruction with
     * more operands than the GC helper takes stays interpreted.
     */
    private static String gcUse(Module m, IrFunction f) {
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (GcLowering.isHelperCall(i.op) && i.args.length > GcLowering.MAX_HELPER_OPERANDS) {
                    return "it uses " + i.op + " with " + i.args.length + " operands";
                }
            }
        }
        return null;
    }

    /** Throws {@link UnsupportedOperationException} when the backends cannot compile {@code f}. */
    public static void require(Module m, IrFunction f, String backend) {
        String why = unsupported(m, f);
        if (why != null) {
            throw new UnsupportedOperationException("function " + f.index + " (" + f.name + ") cannot be compiled by the "
                    + backend + " backend yet: " + why);
        }
    }
}
