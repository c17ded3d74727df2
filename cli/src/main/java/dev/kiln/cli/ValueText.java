package dev.kiln.cli;

import dev.kiln.frontend.ValType;

import java.math.BigDecimal;

/** Parses command-line arguments into raw Wasm values by type, and prints results as plain values. */
final class ValueText {
    private ValueText() {
    }

    /**
     * The raw slots of a value (see {@link dev.kiln.frontend.RawValues}): one, or two for a v128.
     * v128: {@code 0x} and up to 32 hex digits (the 128-bit number, lane 0 in the low bits), or a
     * shape and its lanes, {@code i32x4:1,2,3,4} (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2; lane 0
     * first, each lane as its scalar type takes it).
     */
    static long[] parseSlots(String s, ValType t) {
        if (t != ValType.V128) return new long[] {parse(s, t)};
        String x = s.trim();
        if (x.startsWith("0x") || x.startsWith("0X")) {
            String digits = x.substring(2);
            if (digits.isEmpty() || digits.length() > 32) throw new IllegalArgumentException("a v128 has at most 32 hex digits");
            java.math.BigInteger v = new java.math.BigInteger(digits, 16);
            return new long[] {v.longValue(), v.shiftRight(64).longValue()};
        }
        int colon = x.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("a v128 is 0x<hex> or <shape>:<lanes>");
        String shape = x.substring(0, colon).toLowerCase();
        String[] lanes = x.substring(colon + 1).split(",");
        int bits = switch (shape) {
            case "i8x16" -> 8;
            case "i16x8" -> 16;
            case "i32x4", "f32x4" -> 32;
            case "i64x2", "f64x2" -> 64;
            default -> throw new IllegalArgumentException("unknown v128 shape " + shape);
        };
        if (lanes.length != 128 / bits) throw new IllegalArgumentException(shape + " takes " + 128 / bits + " lanes");
        ValType lane = shape.startsWith("f") ? (bits == 32 ? ValType.F32 : ValType.F64) : bits == 64 ? ValType.I64 : ValType.I32;
        long[] out = new long[2];
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        for (int i = 0; i < lanes.length; i++) {
            long v = lane == ValType.I32 ? Long.decode(lanes[i].trim()) : parse(lanes[i], lane);
            out[i * bits / 64] |= (v & mask) << (i * bits % 64);
        }
        return out;
    }

    /**
     * i32/i64: decimal (negative allowed) or 0x hex; f32/f64: a decimal number, {@code nan},
     * {@code inf}/{@code -inf}, or 0x hex taken as the raw IEEE bits.
     */
    static long parse(String s, ValType t) {
        String x = s.trim();
        boolean hex = x.startsWith("0x") || x.startsWith("0X");
        return switch (t) {
            case I32 -> hex ? (int) Long.parseUnsignedLong(x.substring(2), 16) : (int) Long.parseLong(x);
            case I64 -> hex ? Long.parseUnsignedLong(x.substring(2), 16) : Long.parseLong(x);
            case F32 -> hex ? (int) Long.parseUnsignedLong(x.substring(2), 16) : Float.floatToRawIntBits(parseFloat(x));
            case F64 -> hex ? Long.parseUnsignedLong(x.substring(2), 16) : Double.doubleToRawLongBits(parseFloat(x));
            default -> throw new IllegalArgumentException("cannot pass a " + t + " on the command line");
        };
    }

    private static float parseFloat(String x) {
        return (float) parseDouble(x);
    }

    private static double parseDouble(String x) {
        return switch (x.toLowerCase()) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(x);
        };
    }

    static String format(long raw, ValType t) {
        return switch (t) {
            case I32 -> Integer.toString((int) raw);
            case I64 -> Long.toString(raw);
            case F32 -> decimal(Float.intBitsToFloat((int) raw), Float.toString(Float.intBitsToFloat((int) raw)));
            case F64 -> decimal(Double.longBitsToDouble(raw), Double.toString(Double.longBitsToDouble(raw)));
            case V128 -> throw new IllegalArgumentException("a v128 takes two slots: use formatV128");
            case FUNCREF, EXTERNREF -> raw == 0 ? "null" : "ref";
        };
    }

    /** A v128 as the 128-bit number in hex, {@code 0x} and 32 digits (lane 0 in the low bits). */
    static String formatV128(long low, long high) {
        return String.format("0x%016x%016x", high, low);
    }

    private static String decimal(double v, String shortest) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String plain = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
        return plain.contains(".") || plain.contains("E") ? plain : plain;
    }
}
