package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

/**
 * Where SysV puts a Wasm function's parameters when kiln calls it: the VMContext in RDI, integer
 * and reference parameters in RSI, RDX, RCX, R8, R9, floats in XMM0-XMM7, the rest on the stack
 * in order (8 bytes each). One result comes back in RAX or XMM0; several go through the
 * execution state's return area.
 */
final class X64CallingConvention {
    static final Gpr[] INT_ARGS = {Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9};
    static final Xmm[] FLOAT_ARGS = {Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7};

    /** One parameter's place: a register number (see {@link X64RegisterFile}) or a stack slot index. */
    record Place(int register, int stackIndex) {
        boolean onStack() {
            return stackIndex >= 0;
        }
    }

    private X64CallingConvention() {
    }

    static Place[] parameters(FuncType t) {
        Place[] out = new Place[t.paramCount()];
        int ints = 0, floats = 0, stack = 0;
        for (int i = 0; i < out.length; i++) {
            ValType p = t.param(i);
            if (X64RegisterFile.isFloat(p)) {
                out[i] = floats < FLOAT_ARGS.length ? new Place(X64RegisterFile.number(FLOAT_ARGS[floats++]), -1) : new Place(-1, stack++);
            } else {
                out[i] = ints < INT_ARGS.length ? new Place(X64RegisterFile.number(INT_ARGS[ints++]), -1) : new Place(-1, stack++);
            }
        }
        return out;
    }

    static int stackSlots(Place[] places) {
        int n = 0;
        for (Place p : places) if (p.onStack()) n++;
        return n;
    }

    /** True when results travel through the return area rather than RAX/XMM0. */
    static boolean usesReturnArea(FuncType t) {
        return t.resultCount() > 1;
    }
}
