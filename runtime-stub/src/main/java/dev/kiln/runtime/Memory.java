package dev.kiln.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A linear memory as host code sees it: little-endian reads and writes at byte addresses (Wasm
 * pointers are unsigned 32-bit; pass an i32 pointer as {@code Integer.toUnsignedLong(p)}).
 * Every access is checked against the current size: an access outside it throws {@link WasmTrap}
 * of kind {@link TrapKind#OUT_OF_BOUNDS_MEMORY}, which, thrown from a host function, traps the
 * Wasm code that called it.
 */
public interface Memory {
    /** Current size in bytes (a multiple of 64 KiB). */
    long byteSize();

    /** Current size in 64 KiB pages. */
    default long pages() {
        return byteSize() / MemoryType.PAGE_SIZE;
    }

    /** Grows by {@code deltaPages} 64 KiB pages; returns the old size in pages, or -1 when it cannot grow. */
    long grow(long deltaPages);

    // ---- numbers ----

    byte readByte(long address);

    /** The byte at {@code address} as an unsigned value (0-255). */
    default int readUnsignedByte(long address) {
        return Byte.toUnsignedInt(readByte(address));
    }

    short readShort(long address);

    /** The 16-bit value at {@code address} as an unsigned value (0-65535). */
    default int readUnsignedShort(long address) {
        return Short.toUnsignedInt(readShort(address));
    }

    int readInt(long address);

    /** The 32-bit value at {@code address} as an unsigned value. */
    default long readUnsignedInt(long address) {
        return Integer.toUnsignedLong(readInt(address));
    }

    long readLong(long address);

    /** The f32 at {@code address} (its bits as they are, NaN payloads included). */
    default float readFloat(long address) {
        return Float.intBitsToFloat(readInt(address));
    }

    default double readDouble(long address) {
        return Double.longBitsToDouble(readLong(address));
    }

    void writeByte(long address, byte value);

    void writeShort(long address, short value);

    void writeInt(long address, int value);

    void writeLong(long address, long value);

    default void writeFloat(long address, float value) {
        writeInt(address, Float.floatToRawIntBits(value));
    }

    default void writeDouble(long address, double value) {
        writeLong(address, Double.doubleToRawLongBits(value));
    }

    // ---- bytes ----

    /** Copies {@code length} bytes at {@code address} into {@code dst[offset..]}. */
    void read(long address, byte[] dst, int offset, int length);

    /** Copies {@code src[offset..offset+length)} to {@code address}. */
    void write(long address, byte[] src, int offset, int length);

    default byte[] readBytes(long address, int length) {
        byte[] out = new byte[length];
        read(address, out, 0, length);
        return out;
    }

    default void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }

    /** Sets {@code length} bytes at {@code address} to {@code value} (like {@code memory.fill}). */
    void fill(long address, byte value, long length);

    /** Copies {@code length} bytes from {@code src} to {@code dst}; the ranges may overlap (like {@code memory.copy}). */
    void copy(long dst, long src, long length);

    /**
     * A little-endian view of {@code length} bytes at {@code address}: reads and writes go to the
     * memory itself, with the buffer's own bounds. The view stays valid while the memory's store is
     * open (the memory's base never moves, even when it grows); afterwards it throws
     * {@link IllegalStateException}.
     */
    ByteBuffer buffer(long address, int length);

    // ---- strings ----

    /** Decodes {@code length} bytes at {@code address} as UTF-8 (malformed sequences become U+FFFD). */
    default String readString(long address, int length) {
        return new String(readBytes(address, length), StandardCharsets.UTF_8);
    }

    /**
     * Decodes the NUL-terminated UTF-8 string at {@code address} (a C string); traps when no NUL
     * follows before the end of memory.
     */
    default String readCString(long address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long at = address; ; at++) {
            byte b = readByte(at);
            if (b == 0) return out.toString(StandardCharsets.UTF_8);
            out.write(b);
        }
    }

    /** Writes {@code s} as UTF-8 at {@code address}, without a terminator; returns the number of bytes written. */
    default int writeString(long address, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        write(address, bytes);
        return bytes.length;
    }

    /** Writes {@code s} as UTF-8 followed by a NUL at {@code address}; returns the bytes written, the NUL included. */
    default int writeCString(long address, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(bytes, bytes.length + 1);
        write(address, out);
        return out.length;
    }
}
