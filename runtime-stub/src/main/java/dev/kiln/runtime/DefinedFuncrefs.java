package dev.kiln.runtime;

import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.function.IntConsumer;

/**
 * The funcref descriptors of one instance's defined functions, with no Java object per function:
 * function {@code i}'s descriptor lies at a fixed place in a chunk of the store's native memory
 * (made when a function of the chunk first needs one) and is filled when its funcref is first
 * made: an element segment's {@code ref.func}, a declared reference, {@code ref.func} at run
 * time, or a {@link WasmFunction} passed to Wasm. Its handle field holds {@code -1 - index} (a
 * store handle is made only when the interpreter calls the function by handle), so the function
 * is found from the descriptor alone: its instance by the VMContext, its index by the handle.
 * A table of 10 000 functions costs 10 000 descriptor fills of four words at instantiation, and a
 * {@link WasmFunction} object only for the entries Java code reads.
 */
final class DefinedFuncrefs {
    /** Descriptors per chunk. */
    static final int CHUNK = 256;
    private static final long CHUNK_BYTES = (long) CHUNK * VmContextLayout.FUNC_DESCRIPTOR_SIZE;
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final Instance instance;
    private final MemorySegment[] chunks;
    /** The functions whose descriptors are filled: walked without reading every descriptor's native memory. */
    private final BitSet filled = new BitSet();

    DefinedFuncrefs(Instance instance, int functionCount) {
        this.instance = instance;
        this.chunks = new MemorySegment[(functionCount + CHUNK - 1) / CHUNK];
    }

    /** Function {@code index}'s descriptor, filled now if it was not (its code set once native code runs in the instance). */
    synchronized long descriptor(int index) {
        MemorySegment chunk = chunks[index / CHUNK];
        if (chunk == null) {
            chunk = instance.store().newDescriptorChunk(CHUNK_BYTES, instance, index / CHUNK * CHUNK);
            chunks[index / CHUNK] = chunk;
        }
        long d = chunk.address() + (long) (index % CHUNK) * VmContextLayout.FUNC_DESCRIPTOR_SIZE;
        if (NATIVE.get(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_VMCTX) != 0) return d;
        NATIVE.set(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_CODE, 0);
        NATIVE.set(ValueLayout.JAVA_INT, d + VmContextLayout.FUNC_TYPE_ID, instance.typeIdOfFunction(index));
        NATIVE.set(ValueLayout.JAVA_INT, d + VmContextLayout.FUNC_HANDLE, -1 - index);
        NATIVE.set(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_VMCTX, instance.vmctxAddress()); // last: it marks the descriptor filled
        filled.set(index);
        instance.describe(index, d);
        return d;
    }

    /** Calls {@code each} with the index of every function whose descriptor is filled. */
    synchronized void forEachFilled(IntConsumer each) {
        for (int i = filled.nextSetBit(0); i >= 0; i = filled.nextSetBit(i + 1)) each.accept(i);
    }

    /** How many descriptors are filled. */
    synchronized int filled() {
        return filled.cardinality();
    }

    /** True when the descriptor at {@code d} (inside one of this instance's chunks) is filled. */
    static boolean isFilled(long d) {
        return NATIVE.get(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_VMCTX) != 0;
    }

    /** The function index a defined function's descriptor names (its handle field), or -1 for another descriptor. */
    static int indexOf(long descriptor) {
        int h = NATIVE.get(ValueLayout.JAVA_INT, descriptor + VmContextLayout.FUNC_HANDLE);
        return h < 0 ? -1 - h : -1;
    }

    /** Byte size of a chunk. */
    static long chunkBytes() {
        return CHUNK_BYTES;
    }
}
