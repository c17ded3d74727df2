package dev.kiln.cli;

import dev.kiln.frontend.ValType;

import java.math.BigDecimal;
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

    private static long rawBits(String hexDigits, int width) {
        long v = Long.parseUnsignedLong(hexDigits, 16);
        if (width == 32 && (v >>> 32) != 0) throw new NumberFormatException("more than 32 bits");
        return v;
    }

    private static int f32Bits(String x) {
        String lower = x.toLowerCase(java.util.Locale.ROOT);
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
        String lower = x.toLowerCase(java.util.Locale.ROOT);
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
            case V128 -> Long.toHexString(raw);
            case REF -> raw == 0 ? "null" : "ref";
        };
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
