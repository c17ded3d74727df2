package dev.kiln.backend.x64;

import java.util.Arrays;

/** A growable little-endian byte buffer: the code being assembled. */
final class CodeBuffer {
    private byte[] bytes = new byte[256];
    private int size;

    int position() {
        return size;
    }

    void emit8(int value) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = (byte) value;
    }

    void emit(long value, int byteCount) {
        for (int i = 0; i < byteCount; i++) {
            emit8((int) (value >>> (8 * i)));
        }
    }

    void emit(byte[] data) {
        for (byte b : data) {
            emit8(b);
        }
    }

    void patch(int offset, long value, int byteCount) {
        for (int i = 0; i < byteCount; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }
}
