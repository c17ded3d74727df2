package dev.kiln.backend.aarch64;

import java.util.Arrays;

/** The growing bytes of one function's code, little-endian, with reads and patches in place. */
final class CodeBuffer {
    private byte[] bytes = new byte[1024];
    private int size;

    int size() {
        return size;
    }

    void putInt(int value) {
        reserve(4);
        writeInt(bytes, size, value);
        size += 4;
    }

    void putLong(long value) {
        reserve(8);
        writeLong(bytes, size, value);
        size += 8;
    }

    int getInt(int at) {
        return readInt(bytes, at);
    }

    long getLong(int at) {
        return (readInt(bytes, at) & 0xFFFF_FFFFL) | (long) readInt(bytes, at + 4) << 32;
    }

    void setInt(int at, int value) {
        writeInt(bytes, at, value);
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void reserve(int more) {
        if (size + more > bytes.length) {
            long grown = Math.max((long) bytes.length * 2, (long) size + more);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("function code exceeds 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) grown);
        }
    }

    static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static void writeLong(byte[] b, int at, long v) {
        writeInt(b, at, (int) v);
        writeInt(b, at + 4, (int) (v >>> 32));
    }
}
