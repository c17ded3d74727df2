package dev.kiln.backend.aarch64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

/**
 * Where AAPCS64 puts a Wasm function's parameters when kiln calls it: the VMContext in X0, integer
 * and reference parameters in X1-X7, floats in V0-V7, the rest on the stack in order (8 bytes
 * each, as AAPCS64 rounds every stacked argument up to 8 bytes on Linux). One result comes back in
 * X0 or V0; several go through the execution state's return area.
 */
final class A64CallingConvention {
    static final GeneralRegister[] INT_ARGS = {GeneralRegister.X1, GeneralRegister.X2, GeneralRegister.X3,
            GeneralRegister.X4, GeneralRegister.X5, GeneralRegister.X6, GeneralRegister.X7};
    static final int FLOAT_ARG_COUNT = 8;

    /** One parameter's place: a register number (see {@link A64RegisterFile}) or a stack slot index. */
    record Place(int register, int stackIndex) {
        boolean onStack() {
            return stackIndex >= 0;
        }
    }

    private A64CallingConvention() {
    }

    static Place[] parameters(FuncType t) {
        Place[] out = new Place[t.paramCount()];
        int ints = 0, floats = 0, stack = 0;
        for (int i = 0; i < out.length; i++) {
            ValType p = t.param(i);
            if (A64RegisterFile.isFloat(p)) {
                out[i] = floats < FLOAT_ARG_COUNT ? new Place(A64RegisterFile.V_BASE + floats++, -1) : new Place(-1, stack++);
            } else {
                out[i] = ints < INT_ARGS.length ? new Place(A64RegisterFile.number(INT_ARGS[ints++]), -1) : new Place(-1, stack++);
            }
        }
        return out;
    }

    static int stackSlots(Place[] places) {
        int n = 0;
        for (Place p : places) if (p.onStack()) n++;
        return n;
    }

    /** True when results travel through the return area rather than X0/V0. */
    static boolean usesReturnArea(FuncType t) {
        return t.resultCount() > 1;
    }
}
