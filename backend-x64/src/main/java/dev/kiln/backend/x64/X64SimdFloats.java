package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import static dev.kiln.backend.x64.X64Vectors.T1;
import static dev.kiln.backend.x64.X64Vectors.T2;
import static dev.kiln.backend.x64.X64Vectors.T3;

/**
 * Packed float operations that are sequences: min/max with Wasm's NaN and signed-zero rules, abs
 * and neg, the saturating float-to-integer conversions, unsigned integer-to-float conversions and
 * relaxed multiply-add. A NaN result is a quiet NaN with an empty payload below the quiet bit (the
 * spec allows any NaN; canonical ones are what min/max give on every tier). The relaxed
 * instructions compute the deterministic profile's result: {@code relaxed_madd} rounds the
 * product and then the sum (never a fused multiply-add, even where the CPU has FMA),
 * {@code relaxed_min}/{@code relaxed_max} are min/max, {@code relaxed_trunc*} saturate.
 */
final class X64SimdFloats {
    private X64SimdFloats() {
    }

    static boolean handles(Opcode op) {
        return switch (op) {
            case F32X4_MIN, F32X4_MAX, F64X2_MIN, F64X2_MAX, F32X4_RELAXED_MIN, F32X4_RELAXED_MAX, F64X2_RELAXED_MIN,
                 F64X2_RELAXED_MAX, F32X4_ABS, F32X4_NEG, F64X2_ABS, F64X2_NEG, I32X4_TRUNC_SAT_F32X4_S,
                 I32X4_RELAXED_TRUNC_F32X4_S, I32X4_TRUNC_SAT_F32X4_U, I32X4_RELAXED_TRUNC_F32X4_U,
                 I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_RELAXED_TRUNC_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO,
                 I32X4_RELAXED_TRUNC_F64X2_U_ZERO, F32X4_CONVERT_I32X4_U, F64X2_CONVERT_LOW_I32X4_U, F32X4_RELAXED_MADD,
                 F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD -> true;
            default -> false;
        };
    }

    static void lower(X64Vectors v, Instruction i) {
        switch (i.op) {
            case F32X4_MIN, F32X4_RELAXED_MIN -> min(v, i, false);
            case F64X2_MIN, F64X2_RELAXED_MIN -> min(v, i, true);
            case F32X4_MAX, F32X4_RELAXED_MAX -> max(v, i, false);
            case F64X2_MAX, F64X2_RELAXED_MAX -> max(v, i, true);
            case F32X4_ABS -> sign(v, i, VecOp.ANDPS, v.splat(32, 0x7FFF_FFFFL));
            case F64X2_ABS -> sign(v, i, VecOp.ANDPD, v.splat(64, Long.MAX_VALUE));
            case F32X4_NEG -> sign(v, i, VecOp.XORPS, v.splat(32, 0x8000_0000L));
            case F64X2_NEG -> sign(v, i, VecOp.XORPD, v.splat(64, Long.MIN_VALUE));
            case I32X4_TRUNC_SAT_F32X4_S, I32X4_RELAXED_TRUNC_F32X4_S -> truncF32Signed(v, i);
            case I32X4_TRUNC_SAT_F32X4_U, I32X4_RELAXED_TRUNC_F32X4_U -> truncF32Unsigned(v, i);
            case I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_RELAXED_TRUNC_F64X2_S_ZERO -> truncF64Signed(v, i);
            case I32X4_TRUNC_SAT_F64X2_U_ZERO, I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> truncF64Unsigned(v, i);
            case F32X4_CONVERT_I32X4_U -> convertUnsigned(v, i);
            case F64X2_CONVERT_LOW_I32X4_U -> convertLowUnsigned(v, i);
            case F32X4_RELAXED_MADD -> multiplyAdd(v, i, VecOp.MULPS, VecOp.ADDPS);
            case F32X4_RELAXED_NMADD -> multiplyAdd(v, i, VecOp.MULPS, VecOp.SUBPS);
            case F64X2_RELAXED_MADD -> multiplyAdd(v, i, VecOp.MULPD, VecOp.ADDPD);
            case F64X2_RELAXED_NMADD -> multiplyAdd(v, i, VecOp.MULPD, VecOp.SUBPD);
            default -> throw new IllegalStateException("not a float SIMD sequence: " + i.op);
        }
    }

    /**
     * min: minps returns its second operand when the lanes are unordered or equal, so the two
     * orders or'ed give -0 for (-0, +0) and a NaN-ish lane for any NaN; unordered lanes then
     * become the canonical NaN (all ones, and the fraction below the quiet bit cleared).
     * <pre>
     *   t1 = min(a, b); t2 = min(b, a); t1 |= t2
     *   t2 = unord(t1, t2); t1 |= t2; t2 >>= 10 (f64: 13); d = ~t2 &amp; t1
     * </pre>
     */
    private static void min(X64Vectors v, Instruction i, boolean f64) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1));
        VecOp min = f64 ? VecOp.MINPD : VecOp.MINPS, or = f64 ? VecOp.ORPD : VecOp.ORPS, cmp = f64 ? VecOp.CMPPD : VecOp.CMPPS;
        v.op(min, T1, a, b);
        v.op(min, T2, b, a);
        v.op(or, T1, T1, T2);
        v.op(cmp, T2, T2, T1, 3); // unordered
        v.op(or, T1, T1, T2);
        v.shift(f64 ? VecOp.PSRLQ_IMM : VecOp.PSRLD_IMM, T2, T2, f64 ? 13 : 10);
        Xmm d = fn.fdst(i.result(), T2);
        if (v.vex) {
            v.op(f64 ? VecOp.ANDNPD : VecOp.ANDNPS, d, T2, T1);
        } else {
            v.op(f64 ? VecOp.ANDNPD : VecOp.ANDNPS, T2, T2, T1);
            fn.movRegister(d, T2);
        }
        fn.fput(i.result(), d);
    }

    /**
     * max: maxps in both orders, their xor (nonzero only for NaNs and +-0 pairs), or'ed into the
     * first to propagate NaNs, minus the xor to turn -0 into +0, unordered lanes made canonical:
     * <pre>
     *   t1 = max(a, b); t2 = max(b, a); t2 ^= t1; t1 |= t2
     *   t3 = t1 - t2; t1 = unord(t1, t1); t1 >>= 10 (f64: 13); d = ~t1 &amp; t3
     * </pre>
     */
    private static void max(X64Vectors v, Instruction i, boolean f64) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1));
        VecOp max = f64 ? VecOp.MAXPD : VecOp.MAXPS, xor = f64 ? VecOp.XORPD : VecOp.XORPS, or = f64 ? VecOp.ORPD : VecOp.ORPS;
        VecOp sub = f64 ? VecOp.SUBPD : VecOp.SUBPS, cmp = f64 ? VecOp.CMPPD : VecOp.CMPPS, andn = f64 ? VecOp.ANDNPD : VecOp.ANDNPS;
        v.op(max, T1, a, b);
        v.op(max, T2, b, a);
        v.op(xor, T2, T2, T1);
        v.op(or, T1, T1, T2);
        v.op(sub, T3, T1, T2);
        v.op(cmp, T1, T1, T1, 3); // unordered
        v.shift(f64 ? VecOp.PSRLQ_IMM : VecOp.PSRLD_IMM, T1, T1, f64 ? 13 : 10);
        Xmm d = fn.fdst(i.result(), T1);
        if (v.vex) {
            v.op(andn, d, T1, T3);
        } else {
            v.op(andn, T1, T1, T3);
            fn.movRegister(d, T1);
        }
        fn.fput(i.result(), d);
    }

    /** abs and neg: a bitwise operation with a sign mask from the pool. */
    private static void sign(X64Vectors v, Instruction i, VecOp op, MemoryOperand mask) {
        Xmm d = v.fn.fdst(i.result(), T1);
        v.op(op, d, v.fn.vop(i.arg(0)), mask);
        v.fn.fput(i.result(), d);
    }

    /**
     * f32 to i32, saturating: NaN lanes zeroed, then cvttps2dq (which gives 0x80000000 for every
     * lane out of range); lanes that overflowed upwards (positive input, 0x80000000 result) are
     * flipped to 0x7FFFFFFF:
     * <pre>
     *   t1 = eq(a, a); t2 = a &amp; t1; t1 ^= t2 (= ~a where not NaN)
     *   t2 = cvtt(t2); t1 &amp;= t2; t1 >>= 31 (arithmetic); d = t2 ^ t1
     * </pre>
     */
    private static void truncF32Signed(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        v.op(VecOp.CMPPS, T1, a, a, 0);
        v.op(VecOp.ANDPS, T2, a, T1);
        v.op(VecOp.PXOR, T1, T1, T2);
        v.unary(VecOp.CVTTPS2DQ, T2, T2);
        v.op(VecOp.PAND, T1, T1, T2);
        v.shift(VecOp.PSRAD_IMM, T1, T1, 31);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PXOR, d, T2, T1);
        fn.fput(i.result(), d);
    }

    /**
     * f32 to u32, saturating: NaN and negative lanes become 0 (maxps with 0); the part at or
     * above 2^31 is converted separately and added:
     * <pre>
     *   t1 = 0; t2 = max(a, 0); t1 = 2^31; t3 = t2 - t1
     *   t1 = le(t1, t3) (the lanes >= 2^32); t3 = cvtt(t3) ^ t1; t3 = max_s(t3, 0)
     *   d = cvtt(t2) + t3
     * </pre>
     */
    private static void truncF32Unsigned(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        v.zero(T1);
        v.op(VecOp.MAXPS, T2, fn.vop(i.arg(0)), T1);
        v.mov(T1, v.splat(32, Float.floatToRawIntBits(0x1p31f)));
        v.op(VecOp.SUBPS, T3, T2, T1);
        v.op(VecOp.CMPPS, T1, T1, T3, 2);
        v.unary(VecOp.CVTTPS2DQ, T3, T3);
        v.op(VecOp.PXOR, T3, T3, T1);
        v.zero(T1);
        v.op(VecOp.PMAXSD, T3, T3, T1);
        v.unary(VecOp.CVTTPS2DQ, T2, T2);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PADDD, d, T2, T3);
        fn.fput(i.result(), d);
    }

    /**
     * f64 to i32 (two lanes, the upper two zero), saturating: NaN lanes replaced by 0, the rest
     * clamped above at 2^31-1 (cvttpd2dq already gives INT_MIN below the range):
     * <pre>  t1 = eq(a, a) &amp; 2147483647.0; t2 = min(a, t1); d = cvttpd2dq(t2)</pre>
     */
    private static void truncF64Signed(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        v.op(VecOp.CMPPD, T1, a, a, 0);
        v.op(VecOp.ANDPD, T1, T1, v.splat(64, Double.doubleToRawLongBits(2147483647.0)));
        v.op(VecOp.MINPD, T2, a, T1);
        Xmm d = fn.fdst(i.result(), T1);
        v.unary(VecOp.CVTTPD2DQ, d, T2);
        fn.fput(i.result(), d);
    }

    /**
     * f64 to u32 (two lanes, the upper two zero), saturating: clamped to [0, 2^32-1] (NaN to 0),
     * truncated, and added to 2^52 so that each integer is the low half of its double:
     * <pre>
     *   t1 = 0; t2 = max(a, 0); t2 = min(t2, 4294967295.0); t2 = round(t2, trunc)
     *   t2 += 2^52; d = shufps(t2, t1, 0x88) (the low halves, then zeros)
     * </pre>
     */
    private static void truncF64Unsigned(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        v.zero(T1);
        v.op(VecOp.MAXPD, T2, fn.vop(i.arg(0)), T1);
        v.op(VecOp.MINPD, T2, T2, v.splat(64, Double.doubleToRawLongBits(4294967295.0)));
        v.unary(VecOp.ROUNDPD, T2, T2, RoundingMode.TRUNC.immediate());
        v.op(VecOp.ADDPD, T2, T2, v.splat(64, Double.doubleToRawLongBits(0x1p52)));
        Xmm d = fn.fdst(i.result(), T2);
        if (v.vex) {
            v.op(VecOp.SHUFPS, d, T2, T1, 0x88);
        } else {
            v.op(VecOp.SHUFPS, T2, T2, T1, 0x88);
            fn.movRegister(d, T2);
        }
        fn.fput(i.result(), d);
    }

    /**
     * u32 to f32: the low 16 bits and the rest convert exactly on their own (the rest halved, to
     * stay below 2^31, and doubled again), so the one add rounds once:
     * <pre>
     *   t1 = (a &lt;&lt; 16) >> 16; t2 = a - t1; t1 = cvt(t1)
     *   t2 = cvt(t2 >> 1); t2 += t2; d = t2 + t1
     * </pre>
     */
    private static void convertUnsigned(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        v.shift(VecOp.PSLLD_IMM, T1, a, 16);
        v.shift(VecOp.PSRLD_IMM, T1, T1, 16);
        v.op(VecOp.PSUBD, T2, a, T1);
        v.unary(VecOp.CVTDQ2PS, T1, T1);
        v.shift(VecOp.PSRLD_IMM, T2, T2, 1);
        v.unary(VecOp.CVTDQ2PS, T2, T2);
        v.op(VecOp.ADDPS, T2, T2, T2);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.ADDPS, d, T2, T1);
        fn.fput(i.result(), d);
    }

    /** The low two u32 lanes to f64: each becomes the low half of the double 2^52 + x, then 2^52 is subtracted (exact). */
    private static void convertLowUnsigned(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        Xmm d = fn.fdst(i.result(), T1);
        v.op(VecOp.UNPCKLPS, d, fn.vop(i.arg(0)), v.splat(32, 0x4330_0000L));
        v.op(VecOp.SUBPD, d, d, v.splat(64, Double.doubleToRawLongBits(0x1p52)));
        fn.fput(i.result(), d);
    }

    /** relaxed_madd a*b + c and relaxed_nmadd c - a*b, each rounded twice (the deterministic profile). */
    private static void multiplyAdd(X64Vectors v, Instruction i, VecOp mul, VecOp add) {
        X64Function fn = v.fn;
        v.op(mul, T1, fn.vop(i.arg(0)), fn.vop(i.arg(1)));
        XmmOrMemory c = fn.vop(i.arg(2));
        Xmm d = fn.fdst(i.result(), T2);
        if (add == VecOp.SUBPS || add == VecOp.SUBPD) v.op(add, d, c, T1);
        else if (c == d) v.op(add, d, c, T1);
        else v.op(add, d, T1, c);
        fn.fput(i.result(), d);
    }
}
