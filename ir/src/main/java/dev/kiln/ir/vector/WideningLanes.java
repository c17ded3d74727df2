package dev.kiln.ir.vector;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Numerics;

/**
 * SIMD operations whose result lanes differ in width from their operand lanes: extension,
 * extended multiplication, pairwise addition, dot products, narrowing, and the conversions between
 * f64x2 and i32x4/f32x4. Operands and results are v128 values as {@code (low, high)} halves.
 */
final class WideningLanes {
    private WideningLanes() {
    }

    /** Lane {@code i} of a v128, {@code bits} wide, sign- or zero-extended. */
    static long lane(long lo, long hi, int bits, int i, boolean signed) {
        int perHalf = 64 / bits;
        long half = i < perHalf ? lo : hi;
        int shift = (i % perHalf) * bits;
        if (bits == 64) return half;
        long v = half >>> shift & ((1L << bits) - 1);
        return signed ? v << (64 - bits) >> (64 - bits) : v;
    }

    /** Packs lanes of {@code bits} (truncated) into {@code out[0]} (low) and {@code out[1]} (high). */
    static void pack(long[] lanes, int bits, long[] out) {
        int perHalf = 64 / bits;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long lo = 0, hi = 0;
        for (int i = 0; i < lanes.length; i++) {
            long v = (lanes[i] & mask) << ((i % perHalf) * bits);
            if (i < perHalf) lo |= v;
            else hi |= v;
        }
        out[0] = lo;
        out[1] = hi;
    }

    /**
     * The widening operation {@code op} of {@code shape} (the result's shape) on {@code (aLo, aHi)}
     * and {@code (bLo, bHi)} (and {@code (cLo, cHi)} for the dot-add); the result goes to {@code out}.
     */
    static void eval(Opcode op, LaneShape shape, long aLo, long aHi, long bLo, long bHi, long cLo, long cHi, long[] out) {
        int bits = shape.laneBits, half = bits / 2, n = shape.lanes;
        long[] r = new long[n];
        String m = op.mnemonic;
        boolean signed = m.endsWith("_s") || m.endsWith("_s_zero");
        switch (op) {
            case I16X8_EXTEND_LOW_I8X16_S, I16X8_EXTEND_LOW_I8X16_U, I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_LOW_I16X8_U,
                 I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_LOW_I32X4_U ->
                    { for (int i = 0; i < n; i++) r[i] = lane(aLo, aHi, half, i, signed); }
            case I16X8_EXTEND_HIGH_I8X16_S, I16X8_EXTEND_HIGH_I8X16_U, I32X4_EXTEND_HIGH_I16X8_S, I32X4_EXTEND_HIGH_I16X8_U,
                 I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTEND_HIGH_I32X4_U ->
                    { for (int i = 0; i < n; i++) r[i] = lane(aLo, aHi, half, n + i, signed); }
            case I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_LOW_I8X16_U, I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_LOW_I16X8_U,
                 I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U ->
                    { for (int i = 0; i < n; i++) r[i] = lane(aLo, aHi, half, i, signed) * lane(bLo, bHi, half, i, signed); }
            case I16X8_EXTMUL_HIGH_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_U, I32X4_EXTMUL_HIGH_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_U,
                 I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_U ->
                    { for (int i = 0; i < n; i++) r[i] = lane(aLo, aHi, half, n + i, signed) * lane(bLo, bHi, half, n + i, signed); }
            case I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U, I32X4_EXTADD_PAIRWISE_I16X8_S,
                 I32X4_EXTADD_PAIRWISE_I16X8_U ->
                    { for (int i = 0; i < n; i++) r[i] = lane(aLo, aHi, half, 2 * i, signed) + lane(aLo, aHi, half, 2 * i + 1, signed); }
            case I32X4_DOT_I16X8_S -> {
                for (int i = 0; i < n; i++) {
                    r[i] = lane(aLo, aHi, 16, 2 * i, true) * lane(bLo, bHi, 16, 2 * i, true)
                            + lane(aLo, aHi, 16, 2 * i + 1, true) * lane(bLo, bHi, 16, 2 * i + 1, true);
                }
            }
            case I16X8_RELAXED_DOT_I8X16_I7X16_S -> { for (int i = 0; i < n; i++) r[i] = dot8(aLo, aHi, bLo, bHi, i); }
            case I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> {
                for (int i = 0; i < n; i++) {
                    r[i] = dot8(aLo, aHi, bLo, bHi, 2 * i) + dot8(aLo, aHi, bLo, bHi, 2 * i + 1) + lane(cLo, cHi, 32, i, true);
                }
            }
            case I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U, I16X8_NARROW_I32X4_S, I16X8_NARROW_I32X4_U -> {
                long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
                long min = signed ? -max - 1 : 0;
                for (int i = 0; i < n; i++) {
                    long v = i < n / 2 ? lane(aLo, aHi, 2 * bits, i, true) : lane(bLo, bHi, 2 * bits, i - n / 2, true);
                    r[i] = Math.clamp(v, min, max);
                }
            }
            case I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_RELAXED_TRUNC_F64X2_S_ZERO -> {
                r[0] = Numerics.i32TruncSatF64S(aLo);
                r[1] = Numerics.i32TruncSatF64S(aHi);
            }
            case I32X4_TRUNC_SAT_F64X2_U_ZERO, I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> {
                r[0] = Numerics.i32TruncSatF64U(aLo);
                r[1] = Numerics.i32TruncSatF64U(aHi);
            }
            case F64X2_CONVERT_LOW_I32X4_S -> {
                r[0] = Double.doubleToRawLongBits((int) aLo);
                r[1] = Double.doubleToRawLongBits((int) (aLo >> 32));
            }
            case F64X2_CONVERT_LOW_I32X4_U -> {
                r[0] = Double.doubleToRawLongBits(aLo & 0xFFFF_FFFFL);
                r[1] = Double.doubleToRawLongBits(aLo >>> 32);
            }
            case F64X2_PROMOTE_LOW_F32X4 -> {
                r[0] = Numerics.f64Promote((int) aLo);
                r[1] = Numerics.f64Promote((int) (aLo >>> 32));
            }
            case F32X4_DEMOTE_F64X2_ZERO -> {
                r[0] = Numerics.f32Demote(aLo);
                r[1] = Numerics.f32Demote(aHi);
            }
            default -> throw new IllegalArgumentException("not a widening SIMD operation: " + op);
        }
        pack(r, bits, out);
    }

    /** Lane {@code i} of the deterministic relaxed dot product: two signed byte products, added with i16 saturation. */
    private static long dot8(long aLo, long aHi, long bLo, long bHi, int i) {
        long sum = lane(aLo, aHi, 8, 2 * i, true) * lane(bLo, bHi, 8, 2 * i, true)
                + lane(aLo, aHi, 8, 2 * i + 1, true) * lane(bLo, bHi, 8, 2 * i + 1, true);
        return Math.clamp(sum, Short.MIN_VALUE, Short.MAX_VALUE);
    }
}
