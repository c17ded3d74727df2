package dev.kiln.interpreter.gc;

/**
 * What a reference word of the any and extern hierarchies holds (one 8-byte word, as every
 * reference): 0 is null; an odd word is an unboxed i31 ({@code value << 1 | 1}); a word ending in
 * binary {@code 010} is a host object ({@code handle << 3 | 2}, the store's table of host
 * objects); any other nonzero word is the address of a GC object (8-aligned). The two hierarchies
 * share this encoding, so {@code any.convert_extern} and {@code extern.convert_any} are the
 * identity.
 */
public final class GcRefs {
    private GcRefs() {
    }

    public static boolean isI31(long ref) {
        return (ref & 1) != 0;
    }

    public static long i31(int value) {
        return ((long) (value & 0x7FFF_FFFF) << 1) | 1;
    }

    public static int i31SignedValue(long ref) {
        return ((int) (ref >>> 1)) << 1 >> 1;
    }

    public static int i31UnsignedValue(long ref) {
        return (int) (ref >>> 1) & 0x7FFF_FFFF;
    }

    public static boolean isHost(long ref) {
        return (ref & 7) == 2;
    }

    public static long host(long handle) {
        return handle << 3 | 2;
    }

    public static long hostHandle(long ref) {
        return ref >>> 3;
    }

    /** A nonzero word that is neither an i31 nor a host object: a GC object's address. */
    public static boolean isObject(long ref) {
        return ref != 0 && (ref & 7) == 0;
    }
}
