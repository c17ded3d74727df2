package dev.kiln.interpreter.gc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Plain loads and stores of object fields and array elements at their addresses (see {@link GcType} for the layout). */
public final class GcObjects {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private GcObjects() {
    }

    /** The address of a struct's field. */
    public static long field(long ref, GcType t, int field) {
        return ref + t.offsets[field];
    }

    /** The address of an array's element {@code i}. */
    public static long element(long ref, GcType t, long i) {
        return ref + GcType.HEADER + i * t.sizes[0];
    }

    /** A value of {@code size} bytes (1, 2, 4 or 8) as an interpreter slot: i32 (and f32 bits) sign-extended. */
    public static long read(long address, int size) {
        return switch (size) {
            case 1 -> ALL.get(ValueLayout.JAVA_BYTE, address);
            case 2 -> ALL.get(ValueLayout.JAVA_SHORT_UNALIGNED, address);
            case 4 -> ALL.get(ValueLayout.JAVA_INT_UNALIGNED, address);
            default -> ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
        };
    }

    /** A packed field read as i32: sign- or zero-extended. */
    public static long readPacked(long address, int size, boolean signed) {
        if (size == 1) {
            byte b = ALL.get(ValueLayout.JAVA_BYTE, address);
            return signed ? b : b & 0xFF;
        }
        short s = ALL.get(ValueLayout.JAVA_SHORT_UNALIGNED, address);
        return signed ? s : s & 0xFFFF;
    }

    public static void write(long address, int size, long v) {
        switch (size) {
            case 1 -> ALL.set(ValueLayout.JAVA_BYTE, address, (byte) v);
            case 2 -> ALL.set(ValueLayout.JAVA_SHORT_UNALIGNED, address, (short) v);
            case 4 -> ALL.set(ValueLayout.JAVA_INT_UNALIGNED, address, (int) v);
            default -> ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, v);
        }
    }

    /** Copies {@code bytes} bytes from {@code src} to {@code dst}; the ranges may overlap. */
    public static void move(long src, long dst, long bytes) {
        MemorySegment.copy(ALL, src, ALL, dst, bytes);
    }

    /** Copies a segment's bytes to {@code dst}. */
    public static void copyIn(MemorySegment src, long dst) {
        MemorySegment.copy(src, 0, ALL, dst, src.byteSize());
    }
}
