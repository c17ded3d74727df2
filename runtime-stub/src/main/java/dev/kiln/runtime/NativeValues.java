package dev.kiln.runtime;

import dev.kiln.frontend.ValType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Wasm values in the native buffers between Java and native code (the entry trampoline's argument
 * buffer, the adapters' upcall buffers) and in the execution state's return area: one 16-byte
 * slot per value ({@link ArgumentPlaces#bufferOffset}); i32 and f32 in the low 4 bytes, i64, f64
 * and references in the low 8, a v128 in all 16. Java carries each non-vector value as one
 * {@code long} (i32 and f32 zero-extended).
 */
final class NativeValues {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeValues() {
    }

    /** Reads values of {@code types} from consecutive slots at {@code address}. */
    static long[] read(long address, ValType[] types) {
        long[] out = new long[types.length];
        for (int i = 0; i < out.length; i++) {
            requireScalar(types[i]);
            long v = NATIVE.get(ValueLayout.JAVA_LONG, address + ArgumentPlaces.bufferOffset(i));
            out[i] = types[i] == ValType.I32 || types[i] == ValType.F32 ? v & 0xFFFF_FFFFL : v;
        }
        return out;
    }

    /** Writes {@code values} of {@code types} to consecutive slots at {@code address}. */
    static void write(long address, ValType[] types, long[] values) {
        for (int i = 0; i < values.length; i++) {
            requireScalar(types[i]);
            NATIVE.set(ValueLayout.JAVA_LONG, address + ArgumentPlaces.bufferOffset(i), values[i]);
        }
    }

    /** Bytes of a buffer for up to {@code count} values. */
    static long bytes(int count) {
        return ArgumentPlaces.bufferBytes(Math.max(1, count));
    }

    /**
     * The native side carries v128 values (16-byte slots, vector registers); how a Java {@code long[]}
     * carries one is not decided yet (the interpreter does not execute SIMD), so none crosses here.
     */
    private static void requireScalar(ValType t) {
        if (t == ValType.V128) throw new UnsupportedOperationException("v128 values do not cross between native code and Java yet");
    }
}
