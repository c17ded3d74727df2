package dev.kiln.backend.aarch64;

import dev.kiln.backend.CallingConvention;
import dev.kiln.frontend.FuncType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.stream.IntStream;

/**
 * kiln's internal calling convention on AArch64 (docs/design-changes.md, "The internal calling
 * convention"): X19 holds the VMContext and X20 the memory-0 base on entry and on return (pinned,
 * never passed); integer and reference parameters go in X0-X7, f32/f64/v128 in V0-V7, the rest on
 * the stack from the entry SP up ({@link ArgumentPlaces}), popped by the callee. One result comes
 * back in X0 or V0; several go through the execution state's return area. X21-X28 (and X29, X19,
 * X20) survive a call, and of V8-V15 only the low 64 bits; X9 and X15-X17 never carry arguments
 * (call stubs put the function index in W9, cross-instance calls hold the callee's descriptor in
 * X15, X16/X17 are the veneers' and the tail call's scratch).
 */
final class A64CallingConvention {
    static final int INT_ARG_COUNT = 8;
    static final int FLOAT_ARG_COUNT = 8;
    static final GeneralRegister INT_RESULT = GeneralRegister.X0;
    static final VectorRegister FLOAT_RESULT = VectorRegister.D0;
    static final CallingConvention CONVENTION = new CallingConvention(
            IntStream.range(0, INT_ARG_COUNT).toArray(),
            IntStream.range(0, FLOAT_ARG_COUNT).map(v -> A64RegisterFile.V_BASE + v).toArray(),
            A64RegisterFile.number(INT_RESULT), A64RegisterFile.number(FLOAT_RESULT), A64RegisterFile::isFloat);

    private A64CallingConvention() {
    }

    static ArgumentPlaces.Parameters parameters(FuncType t) {
        return CONVENTION.parameters(t);
    }
}
