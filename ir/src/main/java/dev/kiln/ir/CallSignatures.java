package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;

import java.util.function.ToIntFunction;

/** The signatures of a function's calls, for backends laying out outgoing arguments. */
public final class CallSignatures {
    private CallSignatures() {
    }

    /** True for the instructions that call a Wasm function: {@code call}, {@code call_indirect} and {@code call_ref}. */
    public static boolean isCall(Opcode op) {
        return op == Opcode.CALL || op == Opcode.CALL_INDIRECT || op == Opcode.CALL_REF;
    }

    /** True when the call's last operand names the callee (call_indirect's table index, call_ref's reference), not an argument. */
    public static boolean hasCalleeOperand(Opcode op) {
        return op == Opcode.CALL_INDIRECT || op == Opcode.CALL_REF;
    }

    /** The signature {@code i} calls with: the callee's for {@code call}, the expected type's for {@code call_indirect}; else null. */
    public static FuncType of(Module m, Instruction i) {
        return switch (i.op) {
            case CALL -> m.functionType((int) i.imm);
            case CALL_INDIRECT, CALL_REF -> m.funcType((int) i.imm);
            default -> null;
        };
    }

    /**
     * True when {@code i} calls a function that may belong to another instance (an import, or
     * through a table or reference): under the internal calling convention such a call switches
     * the pinned VMContext and memory base to the callee's and restores the caller's afterwards.
     */
    public static boolean mayCrossInstance(Module m, Instruction i) {
        return switch (i.op) {
            case CALL -> m.isImportedFunction((int) i.imm);
            case CALL_INDIRECT, CALL_REF -> true;
            default -> false;
        };
    }

    /** True when some call of {@code f} {@link #mayCrossInstance may cross instances}. */
    public static boolean anyMayCrossInstance(Module m, IrFunction f) {
        for (BasicBlock b : f.blocks) for (Instruction i : b.instructions) if (mayCrossInstance(m, i)) return true;
        return false;
    }

    /**
     * The largest {@code measure} over the signatures of {@code f}'s calls, tail calls included (0
     * without calls): e.g. the outgoing stack-argument area.
     */
    public static int max(Module m, IrFunction f, ToIntFunction<FuncType> measure) {
        int max = 0;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                FuncType t = of(m, i);
                if (t != null) max = Math.max(max, measure.applyAsInt(t));
            }
            if (b.terminator instanceof Terminator.ReturnCall rc) max = Math.max(max, measure.applyAsInt(of(m, rc.call)));
        }
        return max;
    }
}
