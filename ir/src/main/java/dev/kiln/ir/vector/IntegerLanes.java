package dev.kiln.ir.vector;

import dev.kiln.frontend.Opcode;

/**
 * Lane-wise integer operations on one 64-bit half of a v128 at a time (the lanes never cross the
 * halves): arithmetic, saturating arithmetic, min/max, rounding average, comparisons (all ones
 * for true), abs, neg, popcnt and shifts. Lanes are handed to the per-lane functions sign-extended;
 * results are truncated to the lane width.
 */
final class IntegerLanes {
    private IntegerLanes() {
    }

    /** {@code op} on every lane of {@code x} and {@code y} (one half each), for lanes of {@code bits}. */
    static long binary(Opcode op, int bits, long x, long y) {
        if (bits == 64) return lane64(op, x, y);
        long mask = (1L << bits) - 1;
        long out = 0;
        for (int s = 0; s < 64; s += bits) {
            int a = signExtend((int) (x >>> s), bits);
            int b = signExtend((int) (y >>> s), bits);
            out |= (lane(op, bits, a, b) & mask) << s;
        }
        return out;
    }

    /** {@code op} on every lane of {@code x} (one half), for lanes of {@code bits}. */
    static long unary(Opcode op, int bits, long x) {
        return binary(op, bits, x, 0);
    }

    /** Shift every lane of {@code x} (one half) by {@code count} modulo the lane width. */
    static long shift(Opcode op, int bits, long x, int count) {
        int n = count & (bits - 1);
        if (bits == 64) {
            return switch (op) {
                case I64X2_SHL -> x << n;
                case I64X2_SHR_S -> x >> n;
                default -> x >>> n;
            };
        }
        long mask = (1L << bits) - 1;
        long out = 0;
        for (int s = 0; s < 64; s += bits) {
            int a = signExtend((int) (x >>> s), bits);
            int v = switch (op) {
                case I8X16_SHL, I16X8_SHL, I32X4_SHL -> a << n;
                case I8X16_SHR_S, I16X8_SHR_S, I32X4_SHR_S -> a >> n;
                default -> (int) ((a & mask) >>> n);
            };
            out |= (v & mask) << s;
        }
        return out;
    }

    static int signExtend(int v, int bits) {
        return bits == 32 ? v : v << (32 - bits) >> (32 - bits);
    }

    private static int lane(Opcode op, int bits, int a, int b) {
        int max = (1 << (bits - 1)) - 1, min = -max - 1;
        long umask = bits == 32 ? 0xFFFF_FFFFL : (1L << bits) - 1;
        long ua = a & umask, ub = b & umask;
        return switch (op) {
            case I8X16_ADD, I16X8_ADD, I32X4_ADD -> a + b;
            case I8X16_SUB, I16X8_SUB, I32X4_SUB -> a - b;
            case I16X8_MUL, I32X4_MUL -> a * b;
            case I8X16_NEG, I16X8_NEG, I32X4_NEG -> -a;
            case I8X16_ABS, I16X8_ABS, I32X4_ABS -> Math.abs(a);
            case I8X16_ADD_SAT_S, I16X8_ADD_SAT_S -> Math.clamp(a + b, min, max);
            case I8X16_SUB_SAT_S, I16X8_SUB_SAT_S -> Math.clamp(a - b, min, max);
            case I8X16_ADD_SAT_U, I16X8_ADD_SAT_U -> (int) Math.min(ua + ub, umask);
            case I8X16_SUB_SAT_U, I16X8_SUB_SAT_U -> (int) Math.max(ua - ub, 0);
            case I8X16_MIN_S, I16X8_MIN_S, I32X4_MIN_S -> Math.min(a, b);
            case I8X16_MAX_S, I16X8_MAX_S, I32X4_MAX_S -> Math.max(a, b);
            case I8X16_MIN_U, I16X8_MIN_U, I32X4_MIN_U -> (int) Math.min(ua, ub);
            case I8X16_MAX_U, I16X8_MAX_U, I32X4_MAX_U -> (int) Math.max(ua, ub);
            case I8X16_AVGR_U, I16X8_AVGR_U -> (int) ((ua + ub + 1) >>> 1);
            case I16X8_Q15MULR_SAT_S, I16X8_RELAXED_Q15MULR_S -> Math.clamp((a * b + 0x4000) >> 15, min, max);
            case I8X16_POPCNT -> Integer.bitCount(a & 0xFF);
            case I8X16_EQ, I16X8_EQ, I32X4_EQ -> truth(a == b);
            case I8X16_NE, I16X8_NE, I32X4_NE -> truth(a != b);
            case I8X16_LT_S, I16X8_LT_S, I32X4_LT_S -> truth(a < b);
            case I8X16_GT_S, I16X8_GT_S, I32X4_GT_S -> truth(a > b);
            case I8X16_LE_S, I16X8_LE_S, I32X4_LE_S -> truth(a <= b);
            case I8X16_GE_S, I16X8_GE_S, I32X4_GE_S -> truth(a >= b);
            case I8X16_LT_U, I16X8_LT_U, I32X4_LT_U -> truth(ua < ub);
            case I8X16_GT_U, I16X8_GT_U, I32X4_GT_U -> truth(ua > ub);
            case I8X16_LE_U, I16X8_LE_U, I32X4_LE_U -> truth(ua <= ub);
            case I8X16_GE_U, I16X8_GE_U, I32X4_GE_U -> truth(ua >= ub);
            default -> throw new IllegalArgumentException("not a lane-wise integer operation: " + op);
        };
    }

    private static long lane64(Opcode op, long a, long b) {
        return switch (op) {
            case I64X2_ADD -> a + b;
            case I64X2_SUB -> a - b;
            case I64X2_MUL -> a * b;
            case I64X2_NEG -> -a;
            case I64X2_ABS -> Math.abs(a);
            case I64X2_EQ -> a == b ? -1 : 0;
            case I64X2_NE -> a != b ? -1 : 0;
            case I64X2_LT_S -> a < b ? -1 : 0;
            case I64X2_GT_S -> a > b ? -1 : 0;
            case I64X2_LE_S -> a <= b ? -1 : 0;
            case I64X2_GE_S -> a >= b ? -1 : 0;
            default -> throw new IllegalArgumentException("not a lane-wise integer operation: " + op);
        };
    }

    private static int truth(boolean b) {
        return b ? -1 : 0;
    }
}
