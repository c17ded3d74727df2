package dev.kiln.runtime;

/**
 * A linear memory as host code sees it: little-endian reads and writes at byte addresses.
 * Every access is bounds-checked against the current size; an access outside it throws
 * {@link dev.kiln.ir.TrapException} of kind {@code OUT_OF_BOUNDS_MEMORY}.
 */
public interface Memory {
    /** Current size in bytes (a multiple of 64 KiB). */
    long byteSize();

    /** Grows by {@code deltaPages} 64 KiB pages; returns the old size in pages, or -1 when it cannot grow. */
    long grow(long deltaPages);

    byte readByte(long address);

    short readShort(long address);

    int readInt(long address);

    long readLong(long address);

    void writeByte(long address, byte value);

    void writeShort(long address, short value);

    void writeInt(long address, int value);

    void writeLong(long address, long value);

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

    /** Decodes {@code length} bytes at {@code address} as UTF-8 (malformed sequences become U+FFFD). */
    default String readString(long address, int length) {
        return new String(readBytes(address, length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
