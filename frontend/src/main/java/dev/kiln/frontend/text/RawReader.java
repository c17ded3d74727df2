package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Primitive reads over a window of a binary module for {@link RawModule}: bytes, LEB128 integers
 * (accepted in any length the format allows, so that padded encodings are read too), floats and
 * names. A read past the window or an integer too large is a {@link RawFormatException}.
 */
final class RawReader {
    final byte[] b;
    int pos;
    int end;

    RawReader(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    static final class RawFormatException extends RuntimeException {
        final int offset;

        RawFormatException(int offset, String message) {
            super(message + " at offset 0x" + Integer.toHexString(offset), null, false, false);
            this.offset = offset;
        }
    }

    RawFormatException error(String message) {
        return new RawFormatException(pos, message);
    }

    boolean atEnd() {
        return pos >= end;
    }

    int u8() {
        if (pos >= end) throw error("unexpected end");
        return b[pos++] & 0xFF;
    }

    int peek() {
        if (pos >= end) throw error("unexpected end");
        return b[pos] & 0xFF;
    }

    private long leb(int bits, boolean signed) {
        long result = 0;
        int shift = 0;
        int start = pos;
        while (true) {
            int x = u8();
            if (shift >= bits) throw new RawFormatException(start, "integer representation too long");
            result |= (long) (x & 0x7F) << shift;
            shift += 7;
            if ((x & 0x80) == 0) {
                if (signed && shift < 64 && (x & 0x40) != 0) result |= -1L << shift;
                if (!signed && bits < 64 && shift > bits && (result >>> bits) != 0) throw new RawFormatException(start, "integer too large");
                return result;
            }
        }
    }

    long u32() {
        return leb(32, false);
    }

    long u64() {
        return leb(64, false);
    }

    long s32() {
        return (int) leb(32, true);
    }

    long s33() {
        return leb(33, true);
    }

    long s64() {
        return leb(64, true);
    }

    /** A u32 used as a count or length: it must fit the bytes that are left (at least {@code minBytes} each). */
    int count(int minBytes) {
        int at = pos;
        long n = u32();
        if (n * Math.max(minBytes, 1) > end - pos) throw new RawFormatException(at, "length out of bounds");
        return (int) n;
    }

    int f32() {
        if (end - pos < 4) throw error("unexpected end");
        int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long f64() {
        long lo = f32() & 0xFFFF_FFFFL;
        long hi = f32() & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    byte[] bytes(int n) {
        if (n < 0 || n > end - pos) throw error("unexpected end");
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    byte[] name() {
        int n = count(1);
        return bytes(n);
    }

    String nameString() {
        return new String(name(), StandardCharsets.UTF_8);
    }
}
