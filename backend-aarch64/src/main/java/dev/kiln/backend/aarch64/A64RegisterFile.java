package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ValType;
import dev.kiln.regalloc.RegisterFile;

/**
 * The registers kiln's allocator may use on AArch64 (AAPCS64), numbered for the allocator as the
 * general register number (0-30) or 32 + the SIMD&amp;FP register number.
 *
 * <p>Not allocatable: X19 (the VMContext) and X20 (memory-0 base), pinned by the internal calling
 * convention; the scratch registers the lowering uses freely, X14 (addresses of far spill
 * slots), X15, X16 and X17 (IP0/IP1); X18 (the platform register); X29 (frame pointer), X30 (link
 * register) and SP; V29, V30 and V31 (vector scratch: V30/V31 are also the two-register table of a
 * two-source TBL, V29 its index). Callee-saved among the allocatable ones: X21-X28
 * and V8-V15 (the convention preserves only their low 64 bits, which is all a scalar f32/f64 uses: a
 * v128 living across a call takes a caller-saved register or a slot).
 */
public final class A64RegisterFile implements RegisterFile {
    public static final A64RegisterFile INSTANCE = new A64RegisterFile();

    static final int INT = 0;
    static final int FLOAT = 1;
    /** Allocator number of V0. */
    static final int V_BASE = 32;

    /** Caller-saved first (the argument registers last among those), then callee-saved. */
    private static final int[] GPR_NUMBERS = {8, 9, 10, 11, 12, 13, 0, 1, 2, 3, 4, 5, 6, 7, 21, 22, 23, 24, 25, 26, 27, 28};
    private static final int[] FPR_NUMBERS;

    static {
        int[] v = {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        FPR_NUMBERS = new int[v.length];
        for (int i = 0; i < v.length; i++) FPR_NUMBERS[i] = V_BASE + v[i];
    }

    private A64RegisterFile() {
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
        return registerClass == INT ? GPR_NUMBERS.clone() : FPR_NUMBERS.clone();
    }

    @Override
    public boolean isClobberedByCalls(int register, ValType type) {
        if (register >= V_BASE) {
            int n = register - V_BASE;
            return n < 8 || n > 15 || type == ValType.V128; // only the low 64 bits of v8-v15 survive
        }
        return register < 19 || register == 30;
    }

    /** True for callee-saved registers a function must preserve when it uses them (X21-X28, the low halves of V8-V15). */
    static boolean isCalleeSaved(int register) {
        return !INSTANCE.isClobberedByCalls(register, ValType.F64) && register != 29;
    }

    static boolean isVector(int register) {
        return register >= V_BASE;
    }

    /** The X view of an allocator register number. */
    static GeneralRegister gpr(int register) {
        return GeneralRegister.x(register);
    }

    /** The D view of an allocator register number. */
    static VectorRegister fpr(int register) {
        return VectorRegister.d(register - V_BASE);
    }

    static int number(GeneralRegister g) {
        return g.number();
    }

    static int number(VectorRegister v) {
        return V_BASE + v.number();
    }
}
