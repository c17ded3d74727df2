package dev.kiln.frontend;

/**
 * The raw encoding of Wasm values in {@code long}s, which the interpreter, the runtime and the
 * embedding API share: one {@code long} per value (i32 and f32 in the low 32 bits, i64, f64 bits
 * and references as they are), except a v128, which takes two (bits 0-63 first, then bits 64-127).
 * A sequence of values (a call's arguments or results) is the concatenation of its values' slots.
 */
public final class RawValues {
    private RawValues() {
    }

    /** Slots a value of type {@code t} takes: 2 for v128, else 1. */
    public static int slots(ValType t) {
        return t == ValType.V128 ? 2 : 1;
    }

    /** Slots a sequence of values of {@code types} takes. */
    public static int slots(ValType[] types) {
        int n = 0;
        for (ValType t : types) n += slots(t);
        return n;
    }

    /** The first slot of value {@code index} in a sequence of values of {@code types}. */
    public static int offset(ValType[] types, int index) {
        int n = 0;
        for (int i = 0; i < index; i++) n += slots(types[i]);
        return n;
    }

    /** Clears the upper 32 bits of every i32 and f32 value in {@code raw} (values of {@code types}). */
    public static long[] zeroExtend32(ValType[] types, long[] raw) {
        int k = 0;
        for (ValType t : types) {
            if (t == ValType.I32 || t == ValType.F32) raw[k] &= 0xFFFF_FFFFL;
            k += slots(t);
        }
        return raw;
    }
}
