package dev.kiln.frontend;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A cursor over a window of a module's bytes that reads the binary format's primitive encodings:
 * bytes, LEB128 integers (strictly: no overlong or overflowing forms), IEEE floats and UTF-8 names.
 * Every failure is a {@link MalformedModuleException} with the absolute offset of the problem.
 */
public final class WasmReader {
    private final byte[] bytes;
    private int pos;
    private int limit;

    public WasmReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public WasmReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.pos = start;
        this.limit = end;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        pos = p;
    }

    public int limit() {
        return limit;
    }

    /** Narrows the readable window to end at {@code end}; returns the previous limit. */
    public int pushLimit(int end) {
        int old = limit;
        limit = end;
        return old;
    }

    public void popLimit(int oldLimit) {
        limit = oldLimit;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    public int remaining() {
        return limit - pos;
    }

    private MalformedModuleException eof() {
        return new MalformedModuleException("unexpected end", pos);
    }

    public int u8() {
        if (pos >= limit) throw eof();
        return bytes[pos++] & 0xFF;
    }

    public int peekU8() {
        if (pos >= limit) throw eof();
        return bytes[pos] & 0xFF;
    }

    /** Reads {@code n} raw bytes; {@code n} is checked against what is left before anything is allocated. */
    public byte[] raw(int n) {
        if (n < 0 || n > remaining()) throw new MalformedModuleException("unexpected end", pos);
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    public void skip(int n) {
        if (n < 0 || n > remaining()) throw new MalformedModuleException("unexpected end", pos);
        pos += n;
    }

    /** Unsigned LEB128 of at most 32 bits, returned as a non-negative long. */
    public long u32() {
        return unsigned(32);
    }

    /** Unsigned LEB128 of at most 64 bits (memarg offsets of 64-bit memories), as a long's bits. */
    public long u64() {
        return unsigned(64);
    }

    /** Unsigned 32-bit LEB128 that must fit a non-negative int (indices, counts, sizes). */
    public int u32AsInt(String what) {
        int start = pos;
        long v = u32();
        if (v > Integer.MAX_VALUE) {
            throw new ImplementationLimitException(what + " " + v + " is too large", start);
        }
        return (int) v;
    }

    /**
     * A vector length: a u32 that cannot exceed the bytes left, since every element takes at
     * least {@code minElementBytes} bytes. Checked before anything is allocated.
     */
    public int count(int minElementBytes) {
        int start = pos;
        long n = u32();
        if (n * minElementBytes > remaining()) {
            throw new MalformedModuleException("length out of bounds: " + n + " elements in " + remaining() + " bytes", start);
        }
        return (int) n;
    }

    public int s32() {
        return (int) signed(32);
    }

    public long s64() {
        return signed(64);
    }

    /** Signed 33-bit LEB128 (block types). */
    public long s33() {
        return signed(33);
    }

    private long unsigned(int bits) {
        int start = pos;
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++) {
            if (pos >= limit) throw eof();
            int b = bytes[pos++] & 0xFF;
            if (i == maxBytes - 1) {
                // The last permitted byte: no continuation, and unused high bits must be zero.
                if ((b & 0x80) != 0) throw new MalformedModuleException("integer representation too long", start);
                int usedBits = bits - shift;
                if ((b >>> usedBits) != 0) throw new MalformedModuleException("integer too large", start);
                return result | ((long) b << shift);
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
        }
    }

    private long signed(int bits) {
        int start = pos;
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++) {
            if (pos >= limit) throw eof();
            int b = bytes[pos++] & 0xFF;
            if (i == maxBytes - 1) {
                if ((b & 0x80) != 0) throw new MalformedModuleException("integer representation too long", start);
                int usedBits = bits - shift; // bits of the value this byte still carries, sign bit included
                // Bits above the value's sign bit must all equal it (sign extension).
                int signAndAbove = b >> (usedBits - 1); // includes the sign bit
                int expected = (signAndAbove & 1) == 0 ? 0 : (0x7F >> (usedBits - 1));
                if (signAndAbove != expected) throw new MalformedModuleException("integer too large", start);
                result |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (shift < 64) result = (result << (64 - shift)) >> (64 - shift);
                return result;
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
        }
    }

    public int f32Bits() {
        if (remaining() < 4) throw eof();
        int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16
                | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long f64Bits() {
        long lo = f32Bits() & 0xFFFFFFFFL;
        long hi = f32Bits() & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    /** A name: u32 length then UTF-8 bytes, which must be well-formed. */
    public String name() {
        int len = count(1);
        int start = pos;
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new MalformedModuleException("malformed UTF-8 encoding", start);
        }
    }
}
