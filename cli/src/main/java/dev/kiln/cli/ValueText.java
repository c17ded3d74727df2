package dev.kiln.cli;

import dev.kiln.runtime.ValueType;

import java.math.BigDecimal;

/** Parses command-line arguments into raw Wasm values by type, and prints results as plain values. */
final class ValueText {
    private ValueText() {
    }

    /**
     * i32/i64: decimal (negative allowed) or 0x hex; f32/f64: a decimal number, {@code nan},
     * {@code inf}/{@code -inf}, or 0x hex taken as the raw IEEE bits.
     */
    static long parse(String s, ValueType<?> t) {
        String x = s.trim();
        boolean hex = x.startsWith("0x") || x.startsWith("0X");
        if (t.equals(ValueType.I32)) return hex ? (int) Long.parseUnsignedLong(x.substring(2), 16) : (int) Long.parseLong(x);
        if (t.equals(ValueType.I64)) return hex ? Long.parseUnsignedLong(x.substring(2), 16) : Long.parseLong(x);
        if (t.equals(ValueType.F32)) return hex ? (int) Long.parseUnsignedLong(x.substring(2), 16) : Float.floatToRawIntBits(parseFloat(x));
        if (t.equals(ValueType.F64)) return hex ? Long.parseUnsignedLong(x.substring(2), 16) : Double.doubleToRawLongBits(parseDouble(x));
        throw new IllegalArgumentException("cannot pass a " + t + " on the command line");
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

    static String format(long raw, ValueType<?> t) {
        if (t.equals(ValueType.I32)) return Integer.toString((int) raw);
        if (t.equals(ValueType.I64)) return Long.toString(raw);
        if (t.equals(ValueType.F32)) return decimal(Float.intBitsToFloat((int) raw), Float.toString(Float.intBitsToFloat((int) raw)));
        if (t.equals(ValueType.F64)) return decimal(Double.longBitsToDouble(raw), Double.toString(Double.longBitsToDouble(raw)));
        if (t.equals(ValueType.V128)) return Long.toHexString(raw);
        return raw == 0 ? "null" : "ref";
    }

    private static String decimal(double v, String shortest) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String plain = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
        return plain.contains(".") || plain.contains("E") ? plain : plain;
    }
}
