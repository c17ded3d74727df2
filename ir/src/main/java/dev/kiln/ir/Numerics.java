package dev.kiln.ir;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;

/**
 * The exact semantics of WebAssembly's scalar numeric instructions on raw bits: i32 in the low 32
 * bits of a long, i64 as a long, f32 as its IEEE bits in the low 32 bits, f64 as its IEEE bits.
 * Floats travel as bits everywhere so NaN payloads survive; only arithmetic converts them. NaN
 * results of arithmetic are quiet (the spec's "arithmetic NaN"), and canonical when every NaN
 * input is canonical. Used by constant folding and by the interpreter, so both agree by
 * construction; trapping operations throw {@link TrapException}.
 */
public final class Numerics {
    private static final int F32_QUIET = 0x0040_0000;
    private static final long F64_QUIET = 0x0008_0000_0000_0000L;
    private static final int F32_SIGN = 0x8000_0000;
    private static final long F64_SIGN = 0x8000_0000_0000_0000L;

    private Numerics() {
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static int fb(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static long db(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** Evaluates a unary or binary scalar numeric operation ({@code b} is ignored for unary ones). */
    public static long eval(Opcode op, long a, long b) {
        int ia = (int) a;
        int ib = (int) b;
        return switch (op) {
            case I32_EQZ -> ia == 0 ? 1 : 0;
            case I32_EQ -> ia == ib ? 1 : 0;
            case I32_NE -> ia != ib ? 1 : 0;
            case I32_LT_S -> ia < ib ? 1 : 0;
            case I32_LT_U -> Integer.compareUnsigned(ia, ib) < 0 ? 1 : 0;
            case I32_GT_S -> ia > ib ? 1 : 0;
            case I32_GT_U -> Integer.compareUnsigned(ia, ib) > 0 ? 1 : 0;
            case I32_LE_S -> ia <= ib ? 1 : 0;
            case I32_LE_U -> Integer.compareUnsigned(ia, ib) <= 0 ? 1 : 0;
            case I32_GE_S -> ia >= ib ? 1 : 0;
            case I32_GE_U -> Integer.compareUnsigned(ia, ib) >= 0 ? 1 : 0;
            case I64_EQZ -> a == 0 ? 1 : 0;
            case I64_EQ -> a == b ? 1 : 0;
            case I64_NE -> a != b ? 1 : 0;
            case I64_LT_S -> a < b ? 1 : 0;
            case I64_LT_U -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case I64_GT_S -> a > b ? 1 : 0;
            case I64_GT_U -> Long.compareUnsigned(a, b) > 0 ? 1 : 0;
            case I64_LE_S -> a <= b ? 1 : 0;
            case I64_LE_U -> Long.compareUnsigned(a, b) <= 0 ? 1 : 0;
            case I64_GE_S -> a >= b ? 1 : 0;
            case I64_GE_U -> Long.compareUnsigned(a, b) >= 0 ? 1 : 0;
            case F32_EQ -> f(ia) == f(ib) ? 1 : 0;
            case F32_NE -> f(ia) != f(ib) ? 1 : 0;
            case F32_LT -> f(ia) < f(ib) ? 1 : 0;
            case F32_GT -> f(ia) > f(ib) ? 1 : 0;
            case F32_LE -> f(ia) <= f(ib) ? 1 : 0;
            case F32_GE -> f(ia) >= f(ib) ? 1 : 0;
            case F64_EQ -> d(a) == d(b) ? 1 : 0;
            case F64_NE -> d(a) != d(b) ? 1 : 0;
            case F64_LT -> d(a) < d(b) ? 1 : 0;
            case F64_GT -> d(a) > d(b) ? 1 : 0;
            case F64_LE -> d(a) <= d(b) ? 1 : 0;
            case F64_GE -> d(a) >= d(b) ? 1 : 0;

            case I32_CLZ -> Integer.numberOfLeadingZeros(ia);
            case I32_CTZ -> Integer.numberOfTrailingZeros(ia);
            case I32_POPCNT -> Integer.bitCount(ia);
            case I32_ADD -> ia + ib;
            case I32_SUB -> ia - ib;
            case I32_MUL -> ia * ib;
            case I32_DIV_S -> i32DivS(ia, ib);
            case I32_DIV_U -> i32DivU(ia, ib);
            case I32_REM_S -> i32RemS(ia, ib);
            case I32_REM_U -> i32RemU(ia, ib);
            case I32_AND -> ia & ib;
            case I32_OR -> ia | ib;
            case I32_XOR -> ia ^ ib;
            case I32_SHL -> ia << ib;
            case I32_SHR_S -> ia >> ib;
            case I32_SHR_U -> ia >>> ib;
            case I32_ROTL -> Integer.rotateLeft(ia, ib);
            case I32_ROTR -> Integer.rotateRight(ia, ib);
            case I64_CLZ -> Long.numberOfLeadingZeros(a);
            case I64_CTZ -> Long.numberOfTrailingZeros(a);
            case I64_POPCNT -> Long.bitCount(a);
            case I64_ADD -> a + b;
            case I64_SUB -> a - b;
            case I64_MUL -> a * b;
            case I64_DIV_S -> i64DivS(a, b);
            case I64_DIV_U -> i64DivU(a, b);
            case I64_REM_S -> i64RemS(a, b);
            case I64_REM_U -> i64RemU(a, b);
            case I64_AND -> a & b;
            case I64_OR -> a | b;
            case I64_XOR -> a ^ b;
            case I64_SHL -> a << b;
            case I64_SHR_S -> a >> b;
            case I64_SHR_U -> a >>> b;
            case I64_ROTL -> Long.rotateLeft(a, (int) b);
            case I64_ROTR -> Long.rotateRight(a, (int) b);

            case F32_ABS -> ia & ~F32_SIGN;
            case F32_NEG -> ia ^ F32_SIGN;
            case F32_CEIL -> f32Ceil(ia);
            case F32_FLOOR -> f32Floor(ia);
            case F32_TRUNC -> f32Trunc(ia);
            case F32_NEAREST -> f32Nearest(ia);
            case F32_SQRT -> f32Sqrt(ia);
            case F32_ADD -> fb(f(ia) + f(ib));
            case F32_SUB -> fb(f(ia) - f(ib));
            case F32_MUL -> fb(f(ia) * f(ib));
            case F32_DIV -> fb(f(ia) / f(ib));
            case F32_MIN -> f32Min(ia, ib);
            case F32_MAX -> f32Max(ia, ib);
            case F32_COPYSIGN -> (ia & ~F32_SIGN) | (ib & F32_SIGN);
            case F64_ABS -> a & ~F64_SIGN;
            case F64_NEG -> a ^ F64_SIGN;
            case F64_CEIL -> f64Ceil(a);
            case F64_FLOOR -> f64Floor(a);
            case F64_TRUNC -> f64Trunc(a);
            case F64_NEAREST -> f64Nearest(a);
            case F64_SQRT -> f64Sqrt(a);
            case F64_ADD -> db(d(a) + d(b));
            case F64_SUB -> db(d(a) - d(b));
            case F64_MUL -> db(d(a) * d(b));
            case F64_DIV -> db(d(a) / d(b));
            case F64_MIN -> f64Min(a, b);
            case F64_MAX -> f64Max(a, b);
            case F64_COPYSIGN -> (a & ~F64_SIGN) | (b & F64_SIGN);

            case I32_WRAP_I64 -> ia;
            case I32_TRUNC_F32_S -> i32TruncF32S(ia);
            case I32_TRUNC_F32_U -> i32TruncF32U(ia);
            case I32_TRUNC_F64_S -> i32TruncF64S(a);
            case I32_TRUNC_F64_U -> i32TruncF64U(a);
            case I64_EXTEND_I32_S -> (long) ia;
            case I64_EXTEND_I32_U -> a & 0xFFFF_FFFFL;
            case I64_TRUNC_F32_S -> i64TruncF32S(ia);
            case I64_TRUNC_F32_U -> i64TruncF32U(ia);
            case I64_TRUNC_F64_S -> i64TruncF64S(a);
            case I64_TRUNC_F64_U -> i64TruncF64U(a);
            case F32_CONVERT_I32_S -> fb((float) ia);
            case F32_CONVERT_I32_U -> fb((float) (a & 0xFFFF_FFFFL));
            case F32_CONVERT_I64_S -> fb((float) a);
            case F32_CONVERT_I64_U -> f32ConvertI64U(a);
            case F32_DEMOTE_F64 -> f32Demote(a);
            case F64_CONVERT_I32_S -> db(ia);
            case F64_CONVERT_I32_U -> db(a & 0xFFFF_FFFFL);
            case F64_CONVERT_I64_S -> db((double) a);
            case F64_CONVERT_I64_U -> f64ConvertI64U(a);
            case F64_PROMOTE_F32 -> f64Promote(ia);
            case I32_REINTERPRET_F32, F32_REINTERPRET_I32 -> ia;
            case I64_REINTERPRET_F64, F64_REINTERPRET_I64 -> a;
            case I32_EXTEND8_S -> (byte) ia;
            case I32_EXTEND16_S -> (short) ia;
            case I64_EXTEND8_S -> (long) (byte) a;
            case I64_EXTEND16_S -> (long) (short) a;
            case I64_EXTEND32_S -> (long) ia;
            case I32_TRUNC_SAT_F32_S -> i32TruncSatF32S(ia);
            case I32_TRUNC_SAT_F32_U -> i32TruncSatF32U(ia);
            case I32_TRUNC_SAT_F64_S -> i32TruncSatF64S(a);
            case I32_TRUNC_SAT_F64_U -> i32TruncSatF64U(a);
            case I64_TRUNC_SAT_F32_S -> i64TruncSatF32S(ia);
            case I64_TRUNC_SAT_F32_U -> i64TruncSatF32U(ia);
            case I64_TRUNC_SAT_F64_S -> i64TruncSatF64S(a);
            case I64_TRUNC_SAT_F64_U -> i64TruncSatF64U(a);
            default -> throw new IllegalArgumentException("not a scalar numeric operation: " + op);
        };
    }

    /** True for the operations {@link #eval} implements. */
    public static boolean isScalarNumeric(Opcode op) {
        return !op.isSimd() && op.immediate == Immediate.NONE && op.hasFixedSignature()
                && op.paramCount() >= 1 && op.resultCount() == 1;
    }

    // ---- integer division ----

    public static int i32DivS(int a, int b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        if (a == Integer.MIN_VALUE && b == -1) throw new TrapException(TrapKind.INTEGER_OVERFLOW);
        return a / b;
    }

    public static int i32DivU(int a, int b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Integer.divideUnsigned(a, b);
    }

    public static int i32RemS(int a, int b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return b == -1 ? 0 : a % b;
    }

    public static int i32RemU(int a, int b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Integer.remainderUnsigned(a, b);
    }

    public static long i64DivS(long a, long b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        if (a == Long.MIN_VALUE && b == -1) throw new TrapException(TrapKind.INTEGER_OVERFLOW);
        return a / b;
    }

    public static long i64DivU(long a, long b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Long.divideUnsigned(a, b);
    }

    public static long i64RemS(long a, long b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return b == -1 ? 0 : a % b;
    }

    public static long i64RemU(long a, long b) {
        if (b == 0) throw new TrapException(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Long.remainderUnsigned(a, b);
    }

    // ---- float rounding and min/max (NaNs quieted, payload kept) ----

    private static boolean isNaN32(int bits) {
        return (bits & 0x7FFF_FFFF) > 0x7F80_0000;
    }

    private static boolean isNaN64(long bits) {
        return (bits & 0x7FFF_FFFF_FFFF_FFFFL) > 0x7FF0_0000_0000_0000L;
    }

    public static int f32Ceil(int a) {
        return isNaN32(a) ? a | F32_QUIET : fb((float) Math.ceil(f(a)));
    }

    public static int f32Floor(int a) {
        return isNaN32(a) ? a | F32_QUIET : fb((float) Math.floor(f(a)));
    }

    public static int f32Trunc(int a) {
        if (isNaN32(a)) return a | F32_QUIET;
        float v = f(a);
        return fb((float) (v < 0 ? Math.ceil(v) : Math.floor(v)));
    }

    public static int f32Nearest(int a) {
        return isNaN32(a) ? a | F32_QUIET : fb((float) Math.rint(f(a)));
    }

    public static int f32Sqrt(int a) {
        return isNaN32(a) ? a | F32_QUIET : fb((float) Math.sqrt(f(a)));
    }

    public static long f64Ceil(long a) {
        return isNaN64(a) ? a | F64_QUIET : db(Math.ceil(d(a)));
    }

    public static long f64Floor(long a) {
        return isNaN64(a) ? a | F64_QUIET : db(Math.floor(d(a)));
    }

    public static long f64Trunc(long a) {
        if (isNaN64(a)) return a | F64_QUIET;
        double v = d(a);
        return db(v < 0 ? Math.ceil(v) : Math.floor(v));
    }

    public static long f64Nearest(long a) {
        return isNaN64(a) ? a | F64_QUIET : db(Math.rint(d(a)));
    }

    public static long f64Sqrt(long a) {
        return isNaN64(a) ? a | F64_QUIET : db(Math.sqrt(d(a)));
    }

    public static int f32Min(int a, int b) {
        if (isNaN32(a)) return a | F32_QUIET;
        if (isNaN32(b)) return b | F32_QUIET;
        float x = f(a), y = f(b);
        if (x == y) return a | b; // -0 and +0: the minimum is -0 (sign bit set in either)
        return x < y ? a : b;
    }

    public static int f32Max(int a, int b) {
        if (isNaN32(a)) return a | F32_QUIET;
        if (isNaN32(b)) return b | F32_QUIET;
        float x = f(a), y = f(b);
        if (x == y) return a & b; // -0 and +0: the maximum is +0
        return x > y ? a : b;
    }

    public static long f64Min(long a, long b) {
        if (isNaN64(a)) return a | F64_QUIET;
        if (isNaN64(b)) return b | F64_QUIET;
        double x = d(a), y = d(b);
        if (x == y) return a | b;
        return x < y ? a : b;
    }

    public static long f64Max(long a, long b) {
        if (isNaN64(a)) return a | F64_QUIET;
        if (isNaN64(b)) return b | F64_QUIET;
        double x = d(a), y = d(b);
        if (x == y) return a & b;
        return x > y ? a : b;
    }

    // ---- conversions ----

    public static int f32Demote(long a) {
        return isNaN64(a) ? (int) ((a >>> 32) & F32_SIGN) | 0x7FC0_0000 | (int) ((a >>> 29) & 0x003F_FFFF)
                : fb((float) d(a));
    }

    public static long f64Promote(int a) {
        return isNaN32(a) ? ((long) (a & F32_SIGN) << 32) | 0x7FF8_0000_0000_0000L | ((long) (a & 0x003F_FFFF) << 29)
                : db(f(a));
    }

    public static int f32ConvertI64U(long a) {
        if (a >= 0) return fb((float) a);
        // Halve with the lost bit kept sticky, convert, double: rounds exactly once.
        return fb((float) ((a >>> 1) | (a & 1)) * 2f);
    }

    public static long f64ConvertI64U(long a) {
        if (a >= 0) return db((double) a);
        return db((double) ((a >>> 1) | (a & 1)) * 2.0);
    }

    private static TrapException invalidConversion() {
        return new TrapException(TrapKind.INVALID_CONVERSION);
    }

    private static TrapException overflow() {
        return new TrapException(TrapKind.INTEGER_OVERFLOW);
    }

    public static int i32TruncF32S(int bits) {
        return i32TruncF64S(db(f(bits)));
    }

    public static int i32TruncF32U(int bits) {
        return i32TruncF64U(db(f(bits)));
    }

    public static int i32TruncF64S(long bits) {
        double v = d(bits);
        if (Double.isNaN(v)) throw invalidConversion();
        if (!(v > -2147483649.0 && v < 2147483648.0)) throw overflow();
        return (int) v;
    }

    public static int i32TruncF64U(long bits) {
        double v = d(bits);
        if (Double.isNaN(v)) throw invalidConversion();
        if (!(v > -1.0 && v < 4294967296.0)) throw overflow();
        return (int) (long) v;
    }

    public static long i64TruncF32S(int bits) {
        return i64TruncF64S(db(f(bits)));
    }

    public static long i64TruncF32U(int bits) {
        return i64TruncF64U(db(f(bits)));
    }

    public static long i64TruncF64S(long bits) {
        double v = d(bits);
        if (Double.isNaN(v)) throw invalidConversion();
        if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) throw overflow();
        return (long) v;
    }

    public static long i64TruncF64U(long bits) {
        double v = d(bits);
        if (Double.isNaN(v)) throw invalidConversion();
        if (!(v > -1.0 && v < 18446744073709551616.0)) throw overflow();
        return v < 9223372036854775808.0 ? (long) v : (long) (v - 9223372036854775808.0) + Long.MIN_VALUE;
    }

    public static int i32TruncSatF32S(int bits) {
        return (int) f(bits); // Java's narrowing already saturates and maps NaN to 0
    }

    public static int i32TruncSatF32U(int bits) {
        return i32TruncSatF64U(db(f(bits)));
    }

    public static int i32TruncSatF64S(long bits) {
        return (int) d(bits);
    }

    public static int i32TruncSatF64U(long bits) {
        double v = d(bits);
        if (Double.isNaN(v) || v <= -1.0) return 0;
        if (v >= 4294967295.0) return -1;
        return (int) (long) v;
    }

    public static long i64TruncSatF32S(int bits) {
        return (long) f(bits);
    }

    public static long i64TruncSatF32U(int bits) {
        return i64TruncSatF64U(db(f(bits)));
    }

    public static long i64TruncSatF64S(long bits) {
        return (long) d(bits);
    }

    public static long i64TruncSatF64U(long bits) {
        double v = d(bits);
        if (Double.isNaN(v) || v <= -1.0) return 0;
        if (v >= 18446744073709551616.0) return -1L;
        return v < 9223372036854775808.0 ? (long) v : (long) (v - 9223372036854775808.0) + Long.MIN_VALUE;
    }
}
