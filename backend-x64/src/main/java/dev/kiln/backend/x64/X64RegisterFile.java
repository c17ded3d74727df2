package dev.kiln.backend.x64;

import dev.kiln.frontend.ValType;
import dev.kiln.regalloc.RegisterFile;

/**
 * The registers kiln's allocator may use on x86-64 (SysV), numbered for the allocator as the
 * GPR encoding (0-15) or 16 + the XMM number.
 *
 * <p>Not allocatable: RSP, RBP (frame pointer), R15 (the VMContext) and R14 (memory-0 base),
 * pinned by the internal calling convention, and the scratch registers the lowering uses freely:
 * RAX, RCX, RDX (division, shifts by CL, results), R11, XMM13, XMM14 and XMM15 (the SIMD lowering's
 * sequences need three vector temporaries besides their result). Callee-saved among the
 * allocatable ones: RBX, R12, R13; every XMM register is caller-saved at every width, so floats
 * and vectors that live across a call are spilled.
 */
public final class X64RegisterFile implements RegisterFile {
    public static final X64RegisterFile INSTANCE = new X64RegisterFile();

    static final int INT = 0;
    static final int FLOAT = 1;
    private static final int XMM_BASE = 16;

    /** Caller-saved first, so values that do not cross calls leave the callee-saved ones free. */
    private static final Gpr[] GPRS = {Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10, Gpr.RBX, Gpr.R12, Gpr.R13};
    private static final int[] GPR_NUMBERS = new int[GPRS.length];
    private static final int[] XMM_NUMBERS = new int[13];

    static {
        for (int i = 0; i < GPRS.length; i++) GPR_NUMBERS[i] = GPRS[i].encoding();
        for (int i = 0; i < XMM_NUMBERS.length; i++) XMM_NUMBERS[i] = XMM_BASE + i;
    }

    private X64RegisterFile() {
    }

    @Override
    public int classOf(ValType type) {
        return isFloat(type) ? FLOAT : INT;
    }

    static boolean isFloat(ValType t) {
        return t == ValType.F32 || t == ValType.F64 || t == ValType.V128;
    }

    @Override
    public int[] allocatable(int registerClass) {
        return registerClass == INT ? GPR_NUMBERS.clone() : XMM_NUMBERS.clone();
    }

    @Override
    public boolean isClobberedByCalls(int register, ValType type) {
        if (register >= XMM_BASE) return true;
        Gpr g = Gpr.of(register);
        return g != Gpr.RBX && g != Gpr.R12 && g != Gpr.R13 && g != Gpr.R14 && g != Gpr.R15 && g != Gpr.RBP;
    }

    static boolean isXmm(int register) {
        return register >= XMM_BASE;
    }

    static Gpr gpr(int register) {
        return Gpr.of(register);
    }

    static Xmm xmm(int register) {
        return Xmm.values()[register - XMM_BASE];
    }

    static int number(Gpr g) {
        return g.encoding();
    }

    static int number(Xmm x) {
        return XMM_BASE + x.ordinal();
    }
}
