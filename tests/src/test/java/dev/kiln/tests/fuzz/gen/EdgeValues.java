package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.Random;

/**
 * Random values biased to the edges where implementations go wrong: zero, ±1, the limits, the
 * boundaries of float-to-integer conversion, shift counts around the width, and for floats ±0,
 * subnormals, ±infinity and NaNs with arbitrary payloads (quiet and signalling, either sign).
 */
public final class EdgeValues {
    private static final int[] I32 = {0, 1, -1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0x80, 0xFF, 0x7F,
        0xFFFF, 0x8000, 31, 32, 33, 63, 64, 65536, -65536, 0x7FFF_FFF0, 0x1_0000 - 4};
    private static final long[] I64 = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 0xFFFF_FFFFL,
        0x8000_0000L, -0x8000_0000L, 0x1_0000_0000L, 63, 64, 65, 1L << 53, (1L << 53) + 1, 0xFF};
    private static final float[] F32 = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, 0x1.fffffcp-127f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        2147483648f, -2147483648f, 2147483520f, -2147483904f, 4294967296f, 4294967040f, 9.223372e18f, -9.223372e18f,
        1.8446743e19f, 0.99999994f, -0.99999994f, 8388608.5f, 16777216f};
    private static final double[] F64 = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, 2.5, -2.5, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MIN_NORMAL, 0x0.fffffffffffffp-1022, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 2147483647d, 2147483648d, -2147483648d, -2147483649d, 4294967295d, 4294967296d,
        9.223372036854775807e18, -9.223372036854775808e18, 9.223372036854774784e18, 1.8446744073709552e19, 0.9999999999999999,
        4503599627370496.5, 3.4028234663852886e38, 1e-45};

    private EdgeValues() {
    }

    /** Raw bits of a value of type {@code t}. */
    public static long of(NumType t, Random r) {
        int pick = r.nextInt(10);
        return switch (t) {
            case I32 -> pick < 5 ? I32[r.nextInt(I32.length)] : pick < 8 ? r.nextInt(200) - 100 : r.nextInt();
            case I64 -> pick < 5 ? I64[r.nextInt(I64.length)] : pick < 8 ? r.nextInt(200) - 100 : r.nextLong();
            case F32 -> Integer.toUnsignedLong(pick < 5 ? Float.floatToRawIntBits(F32[r.nextInt(F32.length)])
                    : pick < 7 ? nan32(r) : pick < 9 ? Float.floatToRawIntBits((r.nextInt(2000) - 1000) / 8f) : r.nextInt());
            case F64 -> pick < 5 ? Double.doubleToRawLongBits(F64[r.nextInt(F64.length)])
                    : pick < 7 ? nan64(r) : pick < 9 ? Double.doubleToRawLongBits((r.nextInt(2000) - 1000) / 8d) : r.nextLong();
            case V128 -> throw new IllegalArgumentException("a v128 takes two longs: use v128(r)");
            case EXNREF -> 0; // ref.null exn
        };
    }

    private static final int[] I8 = {0, 1, -1, 2, 0x7F, 0x80, 0xFF, 0x7E, 0x81, 0x10, 31, 32};
    private static final int[] I16 = {0, 1, -1, 2, 0x7FFF, 0x8000, 0xFFFF, 0x7FFE, 0x8001, 0xFF, 0x100, 15, 16, 0x4000};

    /**
     * A v128 as {low, high}: the lanes of one shape (i8x16 ... f64x2), each an edge value of its
     * type (saturation limits, NaNs with payloads, ±0, subnormals, conversion boundaries), or a
     * whole-vector pattern (zeros, ones, a single set bit per lane, random bits).
     */
    public static long[] v128(Random r) {
        int shape = r.nextInt(8);
        if (shape >= 6) {
            return switch (r.nextInt(4)) {
                case 0 -> new long[] {0, 0};
                case 1 -> new long[] {-1, -1};
                case 2 -> new long[] {0x8080_8080_8080_8080L, 0x8000_0000_8000_0000L};
                default -> new long[] {r.nextLong(), r.nextLong()};
            };
        }
        int bits = switch (shape) {
            case 0 -> 8;
            case 1 -> 16;
            case 2, 4 -> 32;
            default -> 64;
        };
        long[] out = new long[2];
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        boolean same = r.nextInt(4) == 0; // one value in every lane
        long first = 0;
        for (int i = 0; i < 128 / bits; i++) {
            long v = same && i > 0 ? first : switch (shape) {
                case 0 -> r.nextInt(3) == 0 ? r.nextInt(256) : I8[r.nextInt(I8.length)];
                case 1 -> r.nextInt(3) == 0 ? r.nextInt(65536) : I16[r.nextInt(I16.length)];
                case 2 -> of(NumType.I32, r);
                case 3 -> of(NumType.I64, r);
                case 4 -> of(NumType.F32, r);
                default -> of(NumType.F64, r);
            };
            if (i == 0) first = v;
            out[i * bits / 64] |= (v & mask) << (i * bits % 64);
        }
        return out;
    }

    private static int nan32(Random r) {
        int payload = switch (r.nextInt(4)) {
            case 0 -> 0x40_0000;                         // canonical
            case 1 -> 0x40_0000 | r.nextInt(0x40_0000);  // quiet, with payload
            case 2 -> 1 + r.nextInt(0x3F_FFFF);          // signalling
            default -> 1;
        };
        return (r.nextBoolean() ? 0xFF80_0000 : 0x7F80_0000) | payload;
    }

    private static long nan64(Random r) {
        long payload = switch (r.nextInt(4)) {
            case 0 -> 0x8_0000_0000_0000L;
            case 1 -> 0x8_0000_0000_0000L | (r.nextLong() & 0x7_FFFF_FFFF_FFFFL);
            case 2 -> 1 + (r.nextLong() & 0x7_FFFF_FFFF_FFFEL);
            default -> 1;
        };
        return (r.nextBoolean() ? 0xFFF0_0000_0000_0000L : 0x7FF0_0000_0000_0000L) | payload;
    }
}
