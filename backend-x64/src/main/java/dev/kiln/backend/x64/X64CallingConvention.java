package dev.kiln.backend.x64;

import dev.kiln.backend.CallingConvention;
import dev.kiln.frontend.FuncType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.Arrays;

/**
 * kiln's internal calling convention on x86-64 (docs/design-changes.md, "The internal calling
 * convention"): R15 holds the VMContext and R14 the memory-0 base on entry and on return (pinned,
 * never passed); integer and reference parameters go in RDI, RSI, RDX, RCX, R8, R9, f32/f64/v128
 * in XMM0-XMM7, the rest on the stack above the return address ({@link ArgumentPlaces}), popped
 * by the callee ({@code ret n}). One result comes back in RAX or XMM0; several go through the
 * execution state's return area. RBX, R12, R13 (and RBP, R14, R15) survive a call; every XMM
 * register and the other GPRs do not. RAX, R10 and R11 never carry arguments: call stubs put the
 * function index in EAX, cross-instance calls hold the callee's descriptor in RAX, and tail calls
 * use R10/R11.
 */
final class X64CallingConvention {
    static final Gpr[] INT_ARGS = {Gpr.RDI, Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9};
    static final Xmm[] FLOAT_ARGS = {Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7};
    static final Gpr INT_RESULT = Gpr.RAX;
    static final Xmm FLOAT_RESULT = Xmm.XMM0;
    static final CallingConvention CONVENTION = new CallingConvention(
            Arrays.stream(INT_ARGS).mapToInt(X64RegisterFile::number).toArray(),
            Arrays.stream(FLOAT_ARGS).mapToInt(X64RegisterFile::number).toArray(),
            X64RegisterFile.number(INT_RESULT), X64RegisterFile.number(FLOAT_RESULT), X64RegisterFile::isFloat);

    private X64CallingConvention() {
    }

    static ArgumentPlaces.Parameters parameters(FuncType t) {
        return CONVENTION.parameters(t);
    }
}
