package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.ArgumentPlaces.Place;

import java.util.Arrays;

/**
 * Where SysV puts a Wasm function's parameters when kiln calls it: the VMContext in RDI, integer
 * and reference parameters in RSI, RDX, RCX, R8, R9, floats in XMM0-XMM7, the rest on the stack
 * in order (8 bytes each). One result comes back in RAX or XMM0; several go through the
 * execution state's return area.
 */
final class X64CallingConvention {
    static final Gpr[] INT_ARGS = {Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9};
    static final Xmm[] FLOAT_ARGS = {Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7};
    private static final int[] INT_NUMBERS = Arrays.stream(INT_ARGS).mapToInt(X64RegisterFile::number).toArray();
    private static final int[] FLOAT_NUMBERS = Arrays.stream(FLOAT_ARGS).mapToInt(X64RegisterFile::number).toArray();

    private X64CallingConvention() {
    }

    static Place[] parameters(FuncType t) {
        return ArgumentPlaces.of(t, INT_NUMBERS, FLOAT_NUMBERS, X64RegisterFile::isFloat);
    }
}
