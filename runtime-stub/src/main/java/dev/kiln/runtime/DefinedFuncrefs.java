package dev.kiln.runtime;

import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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

    private MemorySegment chunk(int index) {
        MemorySegment chunk = chunks[index / CHUNK];
        if (chunk == null) {
            chunk = instance.store().newDescriptorChunk(CHUNK_BYTES, instance, index / CHUNK * CHUNK);
            chunks[index / CHUNK] = chunk;
        }
        return chunk;
    }

    /** Function {@code index}'s descriptor, filled now if it was not (its code set once native code runs in the instance). */
    synchronized long descriptor(int index) {
        MemorySegment chunk = chunk(index);
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

    /**
     * Fills the descriptors of the functions in {@code indices} (none filled yet) at instantiation, before
     * anything else can reach this instance's descriptors: each chunk is written whole from a Java array,
     * one copy instead of four stores per descriptor (a cold JVM spent ~1.5 µs on each of a 30 MB module's
     * 10 000). Fills them one by one where the words do not pack so (not little-endian).
     */
    synchronized void fillAtInstantiation(BitSet indices) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            for (int i = indices.nextSetBit(0); i >= 0; i = indices.nextSetBit(i + 1)) descriptor(i);
            return;
        }
        long[] image = new long[(int) (CHUNK_BYTES / 8)];
        long vmctx = instance.vmctxAddress();
        for (int i = indices.nextSetBit(0); i >= 0; ) {
            int c = i / CHUNK;
            MemorySegment chunk = chunk(i);
            MemorySegment.copy(chunk, ValueLayout.JAVA_LONG, 0, image, 0, image.length);
            for (; i >= 0 && i / CHUNK == c; i = indices.nextSetBit(i + 1)) {
                int at = (i % CHUNK) * VmContextLayout.FUNC_DESCRIPTOR_SIZE;
                put(image, at + VmContextLayout.FUNC_CODE, 0, 8);
                put(image, at + VmContextLayout.FUNC_TYPE_ID, instance.typeIdOfFunction(i), 4);
                put(image, at + VmContextLayout.FUNC_HANDLE, -1 - i, 4);
                put(image, at + VmContextLayout.FUNC_VMCTX, vmctx, 8);
                filled.set(i);
            }
            MemorySegment.copy(image, 0, chunk, ValueLayout.JAVA_LONG, 0, image.length);
        }
    }

    /** Stores the low {@code bytes} (4 or 8, aligned) of {@code value} at byte {@code at} of a little-endian image. */
    private static void put(long[] image, int at, long value, int bytes) {
        if (bytes == 8) {
            image[at / 8] = value;
            return;
        }
        int shift = (at % 8) * 8;
        image[at / 8] = image[at / 8] & ~(0xFFFF_FFFFL << shift) | (value & 0xFFFF_FFFFL) << shift;
    }

    /** Where function {@code index}'s descriptor lies once filled (its chunk exists). */
    long address(int index) {
        return chunks[index / CHUNK].address() + (long) (index % CHUNK) * VmContextLayout.FUNC_DESCRIPTOR_SIZE;
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
