package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;

import java.util.function.ToIntFunction;

/** The signatures of a function's calls, for backends laying out outgoing arguments. */
public final class CallSignatures {
    private CallSignatures() {
    }

    /** The signature {@code i} calls with: the callee's for {@code call}, the expected type's for {@code call_indirect}; else null. */
    public static FuncType of(Module m, Instruction i) {
        return switch (i.op) {
            case CALL -> m.functionType((int) i.imm);
            case CALL_INDIRECT, CALL_REF -> m.funcType((int) i.imm);
            default -> null;
        };
    }

    /** The largest {@code measure} over the signatures of {@code f}'s calls (0 without calls): e.g. outgoing stack slots. */
    public static int max(Module m, IrFunction f, ToIntFunction<FuncType> measure) {
        int max = 0;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                FuncType t = of(m, i);
                if (t != null) max = Math.max(max, measure.applyAsInt(t));
            }
        }
        return max;
    }
}
