package dev.kiln.ir;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;

/**
 * The WebAssembly 3.0 features the native backends do not lower yet: exceptions on a backend that
 * does not lower them (issue 17; both do now), and GC instructions with more than
 * {@link GcLowering#MAX_HELPER_OPERANDS} operands. A backend asks here before
 * it compiles a function and declines it (the function keeps running in the interpreter under the
 * {@code auto} tier); one definition for both backends.
 */
public final class NativeSupport {
    private NativeSupport() {
    }

    /** Null when a backend that lowers exceptions iff {@code exceptions} can compile {@code f}, else why not. */
    public static String unsupported(Module m, IrFunction f, boolean exceptions) {
        String gc = gcUse(m, f);
        if (gc != null) return gc;
        if (exceptions) return null;
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
                if (GcLowering.isHelperCall(i) && i.argCount() > GcLowering.MAX_HELPER_OPERANDS) {
                    return "it uses " + i.op + " with " + i.argCount() + " operands";
                }
            }
        }
        return null;
    }

    /** Throws {@link UnsupportedOperationException} when the backends cannot compile {@code f}. */
    public static void require(Module m, IrFunction f, String backend, boolean exceptions) {
        String why = unsupported(m, f, exceptions);
        if (why != null) {
            throw new UnsupportedOperationException("function " + f.index + " (" + f.name + ") cannot be compiled by the "
                    + backend + " backend yet: " + why);
        }
    }
}
