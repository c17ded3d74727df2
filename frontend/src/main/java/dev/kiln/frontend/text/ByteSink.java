package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the binary format's primitive encodings (minimal LEB128s). */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink() {
        this(64);
    }

    ByteSink(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }

    void byte_(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    void append(ByteSink other) {
        bytes(other.buf, 0, other.size);
    }

    /** Unsigned LEB128 (u32 or u64; the value's bits are read as unsigned). */
    void u64(long v) {
        ensure(10);
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            buf[size++] = (byte) (v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    void u32(long v) {
        u64(v & 0xFFFF_FFFFL);
    }

    /** Signed LEB128 (s32, s33, s64). */
    void s64(long v) {
        ensure(10);
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            buf[size++] = (byte) (done ? b : b | 0x80);
            if (done) return;
        }
    }

    void f32(int bits) {
        ensure(4);
        for (int i = 0; i < 4; i++) buf[size++] = (byte) (bits >>> (8 * i));
    }

    void f64(long bits) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[size++] = (byte) (bits >>> (8 * i));
    }

    /** A name: its UTF-8 length and bytes. */
    void name(byte[] utf8) {
        u32(utf8.length);
        bytes(utf8);
    }

    void name(String s) {
        name(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code other}'s size as a u32, then its bytes (a section or function body). */
    void sized(ByteSink other) {
        u32(other.size);
        append(other);
    }

    byte at(int i) {
        return buf[i];
    }
}
