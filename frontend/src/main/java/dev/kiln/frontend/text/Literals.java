package dev.kiln.frontend.text;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The value syntax of the text format: integers (decimal or hexadecimal, with optional sign and
 * digit-separating underscores), floating-point numbers (decimal, hexadecimal, {@code inf},
 * {@code nan}, {@code nan:0x...}), strings with their escapes, and UTF-8. Parsing methods return
 * null when a literal is malformed or out of range, so callers can report a position.
 */
final class Literals {
    private Literals() {
    }

    static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** End of {@code digit ('_'? digit)*} starting at {@code i}, or -1 when there is none. */
    private static int num(byte[] b, int i, int end, boolean hex) {
        if (i >= end || (hex ? hexDigit(b[i]) < 0 : !isDigit(b[i]))) return -1;
        i++;
        while (i < end) {
            if (b[i] == '_') {
                if (i + 1 >= end || (hex ? hexDigit(b[i + 1]) < 0 : !isDigit(b[i + 1]))) return -1;
                i += 2;
            } else if (hex ? hexDigit(b[i]) >= 0 : isDigit(b[i])) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    static boolean isHexNum(byte[] b, int start, int end) {
        return num(b, start, end, true) == end;
    }

    /** The value of hexadecimal digits (underscores skipped), or -1 when it exceeds 2^62. */
    static long hexValue(byte[] b, int start, int end) {
        long v = 0;
        for (int i = start; i < end; i++) {
            if (b[i] == '_') continue;
            if (v > (1L << 58)) return -1;
            v = v * 16 + hexDigit(b[i]);
        }
        return v;
    }

    private static boolean matches(byte[] b, int i, int end, String s) {
        if (end - i != s.length()) return false;
        for (int k = 0; k < s.length(); k++) if (b[i + k] != s.charAt(k)) return false;
        return true;
    }

    private static boolean startsWith(byte[] b, int i, int end, String s) {
        if (end - i < s.length()) return false;
        for (int k = 0; k < s.length(); k++) if (b[i + k] != s.charAt(k)) return false;
        return true;
    }

    /** True when {@code [start, end)} is an integer or floating-point literal. */
    static boolean isNumber(byte[] b, int start, int end) {
        int i = start;
        if (i < end && (b[i] == '+' || b[i] == '-')) i++;
        if (matches(b, i, end, "inf") || matches(b, i, end, "nan")) return true;
        if (startsWith(b, i, end, "nan:0x")) return num(b, i + 6, end, true) == end;
        boolean hex = startsWith(b, i, end, "0x");
        if (hex) i += 2;
        i = num(b, i, end, hex);
        if (i < 0) return false;
        if (i < end && b[i] == '.') {
            i++;
            if (i < end && (hex ? hexDigit(b[i]) >= 0 : isDigit(b[i]))) {
                i = num(b, i, end, hex);
                if (i < 0) return false;
            }
        }
        if (i < end && (hex ? (b[i] == 'p' || b[i] == 'P') : (b[i] == 'e' || b[i] == 'E'))) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) i++;
            i = num(b, i, end, false);
            if (i < 0) return false;
        }
        return i == end;
    }

    /** True for a plain unsigned integer literal (no sign, no fraction or exponent). */
    static boolean isNat(byte[] b, int start, int end) {
        if (start < end && (b[start] == '+' || b[start] == '-')) return false;
        return isInteger(b, start, end);
    }

    /** True for an integer literal, signed or not. */
    static boolean isInteger(byte[] b, int start, int end) {
        int i = start;
        if (i < end && (b[i] == '+' || b[i] == '-')) i++;
        boolean hex = startsWith(b, i, end, "0x");
        if (hex) i += 2;
        return num(b, i, end, hex) == end;
    }

    /** The magnitude of an integer literal (sign excluded), or null when the token is not an integer. */
    private static BigInteger magnitude(byte[] b, int start, int end) {
        if (!isInteger(b, start, end)) return null;
        int i = start;
        if (b[i] == '+' || b[i] == '-') i++;
        boolean hex = startsWith(b, i, end, "0x");
        if (hex) i += 2;
        StringBuilder sb = new StringBuilder(end - i);
        for (; i < end; i++) if (b[i] != '_') sb.append((char) b[i]);
        // long literals in pathological input: a magnitude past 2^64 is out of range for every use
        if (sb.length() > (hex ? 17 : 21)) {
            int first = 0;
            while (first < sb.length() - 1 && sb.charAt(first) == '0') first++;
            if (sb.length() - first > (hex ? 16 : 20)) return BigInteger.ONE.shiftLeft(65);
            sb.delete(0, first);
        }
        return new BigInteger(sb.toString(), hex ? 16 : 10);
    }

    /**
     * The magnitude of a short integer literal (up to 15 hex or 18 decimal digits, so it fits a
     * long), or -1 when the literal is longer or not an integer: the common case, without BigInteger.
     */
    private static long smallMagnitude(byte[] b, int start, int end) {
        int i = start;
        if (i < end && (b[i] == '+' || b[i] == '-')) i++;
        boolean hex = startsWith(b, i, end, "0x");
        if (hex) i += 2;
        if (num(b, i, end, hex) != end) return -1;
        long v = 0;
        int digits = 0;
        for (; i < end; i++) {
            if (b[i] == '_') continue;
            if (++digits > (hex ? 15 : 18)) return -1;
            v = hex ? v * 16 + hexDigit(b[i]) : v * 10 + (b[i] - '0');
        }
        return v;
    }

    /**
     * An integer literal of {@code bits} (8, 16, 32 or 64) bits as its two's-complement value, or
     * null when it is malformed or out of range: unsigned literals up to 2^bits - 1, negative ones
     * down to -2^(bits-1). With {@code unsignedOnly}, a sign is not allowed.
     */
    static Long integer(byte[] b, int start, int end, int bits, boolean unsignedOnly) {
        boolean negative = start < end && b[start] == '-';
        boolean signed = start < end && (b[start] == '+' || b[start] == '-');
        if (unsignedOnly && signed) return null;
        long small = smallMagnitude(b, start, end);
        if (small >= 0) {
            if (negative) return bits < 64 && small > (1L << (bits - 1)) ? null : -small;
            return bits < 64 && small >= (1L << bits) ? null : small;
        }
        BigInteger m = magnitude(b, start, end);
        if (m == null) return null;
        if (negative) {
            if (m.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) > 0) return null;
            return m.negate().longValue();
        }
        if (m.bitLength() > bits) return null;
        return m.longValue();
    }

    /** An f32 literal as raw bits, or null when malformed or out of range. */
    static Integer f32(byte[] b, int start, int end) {
        Long bits = floating(b, start, end, 8, 23);
        return bits == null ? null : (int) (long) bits;
    }

    /** An f64 literal as raw bits, or null when malformed or out of range. */
    static Long f64(byte[] b, int start, int end) {
        return floating(b, start, end, 11, 52);
    }

    private static Long floating(byte[] b, int start, int end, int exponentBits, int mantissaBits) {
        if (!isNumber(b, start, end)) return null;
        boolean negative = b[start] == '-';
        int i = start;
        if (b[i] == '+' || b[i] == '-') i++;
        long signBit = negative ? 1L << (exponentBits + mantissaBits) : 0;
        long expAll = ((1L << exponentBits) - 1) << mantissaBits;
        if (matches(b, i, end, "inf")) return signBit | expAll;
        if (matches(b, i, end, "nan")) return signBit | expAll | (1L << (mantissaBits - 1));
        if (startsWith(b, i, end, "nan:0x")) {
            long payload = hexValue(b, i + 6, end);
            if (payload <= 0 || payload >= (1L << mantissaBits)) return null;
            return signBit | expAll | payload;
        }
        StringBuilder sb = new StringBuilder(end - i + 3);
        boolean hex = startsWith(b, i, end, "0x");
        boolean exponent = false;
        for (int k = i; k < end; k++) {
            byte c = b[k];
            if (c == '_') continue;
            if (hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E')) exponent = true;
            sb.append((char) c);
        }
        if (hex && !exponent) sb.append("p0");
        String text = sb.toString();
        long bits;
        try {
            if (mantissaBits == 23) {
                float f = Float.parseFloat(text);
                if (Float.isInfinite(f)) return null;
                bits = Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
            } else {
                double d = Double.parseDouble(text);
                if (Double.isInfinite(d)) return null;
                bits = Double.doubleToRawLongBits(d);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return bits | signBit;
    }

    /** The bytes a string literal at {@code [start, end)} (quotes included) denotes; the lexer has checked it. */
    static byte[] string(SourceText src, int start, int end) {
        byte[] b = src.bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        int i = start + 1;
        int last = end - 1;
        while (i < last) {
            byte c = b[i];
            if (c != '\\') {
                out.write(c);
                i++;
                continue;
            }
            byte e = b[i + 1];
            switch (e) {
                case 'n' -> { out.write('\n'); i += 2; }
                case 'r' -> { out.write('\r'); i += 2; }
                case 't' -> { out.write('\t'); i += 2; }
                case '\\', '\'', '"' -> { out.write(e); i += 2; }
                case 'u' -> {
                    int close = i + 3;
                    while (b[close] != '}') close++;
                    int cp = (int) hexValue(b, i + 3, close);
                    byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    out.write(enc, 0, enc.length);
                    i = close + 1;
                }
                default -> {
                    out.write(hexDigit(b[i + 1]) * 16 + hexDigit(b[i + 2]));
                    i += 3;
                }
            }
        }
        return out.toByteArray();
    }

    /** Length of the valid UTF-8 encoded scalar value at {@code i}, or -1. */
    static int utf8Length(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c < 0x80) return 1;
        int len;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + len > end) return -1;
        int cp = c & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            int d = b[i + k] & 0xFF;
            if ((d & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return -1;
        return len;
    }

    static boolean isUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int len = utf8Length(b, i, b.length);
            if (len < 0) return false;
            i += len;
        }
        return true;
    }
}
