package dev.kiln.backend.x64;

import dev.kiln.backend.CallingConvention;
import dev.kiln.frontend.FuncType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.Arrays;
import java.util.List;

/**
 * kiln's internal calling convention on x86-64 (docs/design-changes.md, "The internal calling
 * convention"): R15 holds the VMContext and R14 the memory-0 base on entry and on return (pinned,
 * never passed); integer and reference parameters go in RDI, RSI, RDX, RCX, R8, f32/f64/v128
 * in XMM0-XMM7, the rest on the stack above the return address ({@link ArgumentPlaces}), popped
 * by the callee ({@code ret n}). One result comes back in RAX or XMM0 (an i32 zero-extended);
 * several go through the execution state's return area. {@link #CALLEE_SAVED} (and RBP, R14, R15)
 * survive a call between kiln functions; every XMM register and the other GPRs do not. R9 and R10
 * are kept too although the C convention clobbers them ({@link #KEPT_FROM_C}): every call from kiln
 * code into C or Java (runtime helpers, the adapters to the interpreter and host functions) saves
 * them around it. RAX, R9, R10 and R11 never carry arguments: call stubs put the function index in
 * EAX, cross-instance calls hold the callee's descriptor in RAX, and tail calls use R11.
 */
final class X64CallingConvention {
    static final Gpr[] INT_ARGS = {Gpr.RDI, Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8};
    /** The allocatable GPRs a call between kiln functions keeps: the C convention's three and {@link #KEPT_FROM_C}. */
    static final Gpr[] CALLEE_SAVED = {Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R9, Gpr.R10};
    /**
     * Kept across kiln calls but not across C calls: pushed around every call into C or Java (an even
     * number, so RSP stays 16-byte aligned). They never hold a reference across a call
     * ({@link X64RegisterFile#isClobberedByCalls}): the conservative scan of native frames finds only
     * the C convention's callee-saved registers, which the upcall stubs push.
     */
    static final Gpr[] KEPT_FROM_C = {Gpr.R9, Gpr.R10};
    static final Xmm[] FLOAT_ARGS = {Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7};
    static final Gpr INT_RESULT = Gpr.RAX;
    static final Xmm FLOAT_RESULT = Xmm.XMM0;
    static final CallingConvention CONVENTION = new CallingConvention(
            Arrays.stream(INT_ARGS).mapToInt(X64RegisterFile::number).toArray(),
            Arrays.stream(FLOAT_ARGS).mapToInt(X64RegisterFile::number).toArray(),
            X64RegisterFile.number(INT_RESULT), X64RegisterFile.number(FLOAT_RESULT), X64RegisterFile::isFloat);

    private X64CallingConvention() {
    }

    static boolean isCalleeSaved(Gpr g) {
        return List.of(CALLEE_SAVED).contains(g);
    }

    static boolean isKeptFromC(Gpr g) {
        return List.of(KEPT_FROM_C).contains(g);
    }

    /** Saves {@link #KEPT_FROM_C} before a call into C or Java. */
    static void saveKeptFromC(X64Assembler asm) {
        for (Gpr g : KEPT_FROM_C) asm.push(g);
    }

    /** Restores {@link #KEPT_FROM_C} after a call into C or Java. */
    static void restoreKeptFromC(X64Assembler asm) {
        for (int k = KEPT_FROM_C.length - 1; k >= 0; k--) asm.pop(KEPT_FROM_C[k]);
    }

    static ArgumentPlaces.Parameters parameters(FuncType t) {
        return CONVENTION.parameters(t);
    }
}
