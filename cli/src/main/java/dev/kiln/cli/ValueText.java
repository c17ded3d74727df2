package dev.kiln.cli;

import dev.kiln.frontend.ValType;

import java.math.BigDecimal;

/** Parses command-line arguments into raw Wasm values by type, and prints results as plain values. */
final class ValueText {
    private ValueText() {
    }

    /**
     * i32/i64: decimal (negative allowed) or 0x hex; f32/f64: a decimal number, {@code nan},
     * {@code inf}/{@code -inf}, or 0x hex taken as the raw IEEE bits.
     */
    static long parse(String s, ValType t) {
        String x = s.trim();
        boolean hex = x.startsWith("0x") || x.startsWith("0X");
        return switch (t.machine()) {
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
        return switch (t.machine()) {
            case I32 -> Integer.toString((int) raw);
            case I64 -> Long.toString(raw);
            case F32 -> decimal(Float.intBitsToFloat((int) raw), Float.toString(Float.intBitsToFloat((int) raw)));
            case F64 -> decimal(Double.longBitsToDouble(raw), Double.toString(Double.longBitsToDouble(raw)));
            case V128 -> Long.toHexString(raw);
            case REF -> raw == 0 ? "null" : "ref";
        };
    }

    private static String decimal(double v, String shortest) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String plain = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
        return plain.contains(".") || plain.contains("E") ? plain : plain;
    }
}
