package dev.kiln.runtime;

import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.ValType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Wasm values in the native buffers between Java and native code (the entry trampoline's argument
 * buffer, the adapters' upcall buffers) and in the execution state's return area: one 16-byte
 * slot per value ({@link ArgumentPlaces#bufferOffset}); i32 and f32 in the low 4 bytes, i64, f64
 * and references in the low 8, a v128 in all 16. Java carries the values in their raw encoding
 * ({@link RawValues}): one {@code long} each (i32 and f32 zero-extended), two for a v128 (low
 * half first), which are the two halves of its native slot.
 */
final class NativeValues {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeValues() {
    }

    /** Reads values of {@code types} from consecutive slots at {@code address}, in their raw encoding. */
    static long[] read(long address, ValType[] types) {
        long[] out = new long[RawValues.slots(types)];
        int k = 0;
        for (int i = 0; i < types.length; i++) {
            long at = address + ArgumentPlaces.bufferOffset(i);
            long v = NATIVE.get(ValueLayout.JAVA_LONG, at);
            out[k++] = types[i] == ValType.I32 || types[i] == ValType.F32 ? v & 0xFFFF_FFFFL : v;
            if (types[i] == ValType.V128) out[k++] = NATIVE.get(ValueLayout.JAVA_LONG, at + 8);
        }
        return out;
    }

    /** Writes {@code values} of {@code types} (raw encoding) to consecutive slots at {@code address}. */
    static void write(long address, ValType[] types, long[] values) {
        int k = 0;
        for (int i = 0; i < types.length; i++) {
            long at = address + ArgumentPlaces.bufferOffset(i);
            NATIVE.set(ValueLayout.JAVA_LONG, at, values[k++]);
            if (types[i] == ValType.V128) NATIVE.set(ValueLayout.JAVA_LONG, at + 8, values[k++]);
        }
    }

    /** Bytes of a buffer for up to {@code count} values. */
    static long bytes(int count) {
        return ArgumentPlaces.bufferBytes(Math.max(1, count));
    }
}
