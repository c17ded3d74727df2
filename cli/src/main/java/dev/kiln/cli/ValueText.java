package dev.kiln.cli;

import dev.kiln.frontend.ValType;
import dev.kiln.runtime.ValueType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Wasm values as command-line text, both ways: arguments parsed by type, results printed so that
 * printing and parsing round-trip exactly. Floats use the forms of the text format: the shortest
 * decimal that reads back to the same bits ({@code 1.5}, {@code 1e300}, {@code -0}), {@code inf},
 * {@code nan} for the canonical NaN and {@code nan:0x200000} for one with another payload (a sign
 * in front when it is set); or, on request, the raw IEEE bits in hex.
 */
final class ValueText {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final Pattern NAN = Pattern.compile("([+-]?)nan(:0x([0-9a-fA-F]+))?");
    /** Decimal exponents printed without exponent notation (as JavaScript does). */
    private static final int PLAIN_MIN = -6, PLAIN_MAX = 21;

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
            BigInteger v = new BigInteger(digits, 16);
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
     * i32/i64: decimal (negative allowed) or 0x hex. f32/f64: a decimal ({@code 1.5}, {@code -0},
     * {@code 1e300}), a hex float with a {@code p} exponent ({@code 0x1.8p3}), {@code inf},
     * {@code -inf}, {@code nan}, {@code nan:0xPAYLOAD} (either with a sign), or 0x hex without an
     * exponent taken as the raw IEEE bits.
     */
    static long parse(String s, ValType t) {
        String x = s.trim();
        boolean hex = x.startsWith("0x") || x.startsWith("0X");
        return switch (t.machine()) {
            case I32 -> hex ? (int) Long.parseUnsignedLong(x.substring(2), 16) : (int) Long.parseLong(x);
            case I64 -> hex ? Long.parseUnsignedLong(x.substring(2), 16) : Long.parseLong(x);
            case F32 -> hex && !HEX_FLOAT.matcher(x).matches() ? rawBits(x.substring(2), 32) : f32Bits(x) & 0xFFFF_FFFFL;
            case F64 -> hex && !HEX_FLOAT.matcher(x).matches() ? rawBits(x.substring(2), 64) : f64Bits(x);
            default -> throw new IllegalArgumentException("cannot pass a " + t + " on the command line");
        };
    }

    /** The machine type of an API value type (every reference type is one {@code REF} slot). */
    static ValType machineType(ValueType<?> t) {
        if (t.equals(ValueType.I32)) return ValType.I32;
        if (t.equals(ValueType.I64)) return ValType.I64;
        if (t.equals(ValueType.F32)) return ValType.F32;
        if (t.equals(ValueType.F64)) return ValType.F64;
        if (t.equals(ValueType.V128)) return ValType.V128;
        return ValType.FUNCREF;
    }

    private static long rawBits(String hexDigits, int width) {
        long v = Long.parseUnsignedLong(hexDigits, 16);
        if (width == 32 && (v >>> 32) != 0) throw new NumberFormatException("more than 32 bits");
        return v;
    }

    private static int f32Bits(String x) {
        String lower = x.toLowerCase(Locale.ROOT);
        var nan = NAN.matcher(lower);
        if (nan.matches()) {
            long payload = nan.group(3) == null ? 0x40_0000 : Long.parseUnsignedLong(nan.group(3), 16);
            if (payload == 0 || payload > 0x7F_FFFF) throw new NumberFormatException("f32 NaN payload out of range");
            return (nan.group(1).equals("-") ? 0x8000_0000 : 0) | 0x7F80_0000 | (int) payload;
        }
        Float inf = infinity(lower) == null ? null : infinity(lower).floatValue();
        if (inf != null) return Float.floatToRawIntBits(inf);
        if (!DECIMAL.matcher(x).matches() && !HEX_FLOAT.matcher(x).matches()) throw new NumberFormatException(x);
        return Float.floatToRawIntBits(Float.parseFloat(x)); // rounds once, straight to f32
    }

    private static long f64Bits(String x) {
        String lower = x.toLowerCase(Locale.ROOT);
        var nan = NAN.matcher(lower);
        if (nan.matches()) {
            long payload = nan.group(3) == null ? 0x8_0000_0000_0000L : Long.parseUnsignedLong(nan.group(3), 16);
            if (payload == 0 || payload > 0xF_FFFF_FFFF_FFFFL) throw new NumberFormatException("f64 NaN payload out of range");
            return (nan.group(1).equals("-") ? Long.MIN_VALUE : 0) | 0x7FF0_0000_0000_0000L | payload;
        }
        Double inf = infinity(lower);
        if (inf != null) return Double.doubleToRawLongBits(inf);
        if (!DECIMAL.matcher(x).matches() && !HEX_FLOAT.matcher(x).matches()) throw new NumberFormatException(x);
        return Double.doubleToRawLongBits(Double.parseDouble(x));
    }

    private static Double infinity(String lower) {
        return switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** A result as text ({@code floatBits}: f32/f64 as their raw bits in hex instead). */
    static String format(long raw, ValType t, boolean floatBits) {
        return switch (t.machine()) {
            case I32 -> Integer.toString((int) raw);
            case I64 -> Long.toString(raw);
            case F32 -> floatBits ? String.format("0x%08x", raw & 0xFFFF_FFFFL) : f32((int) raw);
            case F64 -> floatBits ? String.format("0x%016x", raw) : f64(raw);
            case V128 -> throw new IllegalArgumentException("a v128 takes two slots: use formatV128");
            case REF -> raw == 0 ? "null" : "ref";
        };
    }

    /** A v128 as the 128-bit number in hex, {@code 0x} and 32 digits (lane 0 in the low bits). */
    static String formatV128(long low, long high) {
        return String.format("0x%016x%016x", high, low);
    }

    static String format(long raw, ValType t) {
        return format(raw, t, false);
    }

    private static String f32(int bits) {
        float v = Float.intBitsToFloat(bits);
        String sign = bits < 0 ? "-" : "";
        if (Float.isNaN(v)) {
            int payload = bits & 0x7F_FFFF;
            return sign + (payload == 0x40_0000 ? "nan" : "nan:0x" + Integer.toHexString(payload));
        }
        if (Float.isInfinite(v)) return sign + "inf";
        if (v == 0) return sign + "0";
        return decimal(Float.toString(v)); // the shortest digits that read back to this float
    }

    private static String f64(long bits) {
        double v = Double.longBitsToDouble(bits);
        String sign = bits < 0 ? "-" : "";
        if (Double.isNaN(v)) {
            long payload = bits & 0xF_FFFF_FFFF_FFFFL;
            return sign + (payload == 0x8_0000_0000_0000L ? "nan" : "nan:0x" + Long.toHexString(payload));
        }
        if (Double.isInfinite(v)) return sign + "inf";
        if (v == 0) return sign + "0";
        return decimal(Double.toString(v));
    }

    /** Java's shortest representation ({@code 1.0E300}) in the text format's style ({@code 1e300}, {@code 0.001}, {@code 123}). */
    private static String decimal(String shortest) {
        BigDecimal d = new BigDecimal(shortest).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale(); // of the first digit
        String sign = d.signum() < 0 ? "-" : "";
        if (exponent >= PLAIN_MIN && exponent < PLAIN_MAX) return sign + d.abs().toPlainString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + exponent;
    }
}
