package dev.kiln.ir.vector;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Numerics;

/**
 * Lane-wise f32x4 and f64x2 operations on one 64-bit half at a time (two f32 lanes or one f64
 * lane), with the scalar instructions' exact semantics ({@link Numerics}): NaNs propagate quieted,
 * min/max order -0 below +0, comparisons give all ones for true. Relaxed instructions take the
 * deterministic profile's choice: {@code relaxed_madd} rounds twice (multiply, then add),
 * {@code relaxed_min}/{@code relaxed_max} are {@code min}/{@code max}.
 */
final class FloatLanes {
    private FloatLanes() {
    }

    /** {@code op} on both f32 lanes of halves {@code x}, {@code y} (and {@code z} for the ternary ones). */
    static long f32(Opcode op, long x, long y, long z) {
        long lo = f32Lane(op, (int) x, (int) y, (int) z) & 0xFFFF_FFFFL;
        long hi = f32Lane(op, (int) (x >>> 32), (int) (y >>> 32), (int) (z >>> 32)) & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    /** {@code op} on the f64 lane of halves {@code x}, {@code y} (and {@code z}). */
    static long f64(Opcode op, long x, long y, long z) {
        double a = Double.longBitsToDouble(x), b = Double.longBitsToDouble(y);
        return switch (op) {
            case F64X2_ADD -> bits(a + b);
            case F64X2_SUB -> bits(a - b);
            case F64X2_MUL -> bits(a * b);
            case F64X2_DIV -> bits(a / b);
            case F64X2_SQRT -> Numerics.f64Sqrt(x);
            case F64X2_ABS -> x & Long.MAX_VALUE;
            case F64X2_NEG -> x ^ Long.MIN_VALUE;
            case F64X2_CEIL -> Numerics.f64Ceil(x);
            case F64X2_FLOOR -> Numerics.f64Floor(x);
            case F64X2_TRUNC -> Numerics.f64Trunc(x);
            case F64X2_NEAREST -> Numerics.f64Nearest(x);
            case F64X2_MIN, F64X2_RELAXED_MIN -> Numerics.f64Min(x, y);
            case F64X2_MAX, F64X2_RELAXED_MAX -> Numerics.f64Max(x, y);
            case F64X2_PMIN -> b < a ? y : x;
            case F64X2_PMAX -> a < b ? y : x;
            case F64X2_EQ -> a == b ? -1 : 0;
            case F64X2_NE -> a != b ? -1 : 0;
            case F64X2_LT -> a < b ? -1 : 0;
            case F64X2_GT -> a > b ? -1 : 0;
            case F64X2_LE -> a <= b ? -1 : 0;
            case F64X2_GE -> a >= b ? -1 : 0;
            case F64X2_RELAXED_MADD -> bits(a * b + Double.longBitsToDouble(z));
            case F64X2_RELAXED_NMADD -> bits(-a * b + Double.longBitsToDouble(z));
            default -> throw new IllegalArgumentException("not a lane-wise f64x2 operation: " + op);
        };
    }

    private static int f32Lane(Opcode op, int x, int y, int z) {
        float a = Float.intBitsToFloat(x), b = Float.intBitsToFloat(y);
        return switch (op) {
            case F32X4_ADD -> bits(a + b);
            case F32X4_SUB -> bits(a - b);
            case F32X4_MUL -> bits(a * b);
            case F32X4_DIV -> bits(a / b);
            case F32X4_SQRT -> Numerics.f32Sqrt(x);
            case F32X4_ABS -> x & Integer.MAX_VALUE;
            case F32X4_NEG -> x ^ Integer.MIN_VALUE;
            case F32X4_CEIL -> Numerics.f32Ceil(x);
            case F32X4_FLOOR -> Numerics.f32Floor(x);
            case F32X4_TRUNC -> Numerics.f32Trunc(x);
            case F32X4_NEAREST -> Numerics.f32Nearest(x);
            case F32X4_MIN, F32X4_RELAXED_MIN -> Numerics.f32Min(x, y);
            case F32X4_MAX, F32X4_RELAXED_MAX -> Numerics.f32Max(x, y);
            case F32X4_PMIN -> b < a ? y : x;
            case F32X4_PMAX -> a < b ? y : x;
            case F32X4_EQ -> a == b ? -1 : 0;
            case F32X4_NE -> a != b ? -1 : 0;
            case F32X4_LT -> a < b ? -1 : 0;
            case F32X4_GT -> a > b ? -1 : 0;
            case F32X4_LE -> a <= b ? -1 : 0;
            case F32X4_GE -> a >= b ? -1 : 0;
            case F32X4_RELAXED_MADD -> bits(a * b + Float.intBitsToFloat(z));
            case F32X4_RELAXED_NMADD -> bits(-a * b + Float.intBitsToFloat(z));
            case I32X4_TRUNC_SAT_F32X4_S, I32X4_RELAXED_TRUNC_F32X4_S -> Numerics.i32TruncSatF32S(x);
            case I32X4_TRUNC_SAT_F32X4_U, I32X4_RELAXED_TRUNC_F32X4_U -> Numerics.i32TruncSatF32U(x);
            case F32X4_CONVERT_I32X4_S -> bits((float) x);
            case F32X4_CONVERT_I32X4_U -> bits((float) (x & 0xFFFF_FFFFL));
            default -> throw new IllegalArgumentException("not a lane-wise f32x4 operation: " + op);
        };
    }

    private static int bits(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }
}
