package dev.kiln.backend.aarch64;

import dev.kiln.frontend.FuncType;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.ArgumentPlaces.Place;

import java.util.Arrays;
import java.util.stream.IntStream;

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
    private static final int[] INT_NUMBERS = Arrays.stream(INT_ARGS).mapToInt(A64RegisterFile::number).toArray();
    private static final int[] FLOAT_NUMBERS = IntStream.range(0, FLOAT_ARG_COUNT).map(v -> A64RegisterFile.V_BASE + v).toArray();

    private A64CallingConvention() {
    }

    static Place[] parameters(FuncType t) {
        return ArgumentPlaces.of(t, INT_NUMBERS, FLOAT_NUMBERS, A64RegisterFile::isFloat);
    }
}
