package dev.kiln.linker;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit digest of one block of a cached object (a 64 KiB block of its text, or of its
 * metadata), checked before the block is first used. Each 8-byte little-endian word {@code w}
 * goes through {@code h = rotl((h ^ w) * K, 29)}: every step is a bijection of {@code h}, so a
 * change to any one word always changes the digest, and other damage goes unnoticed with
 * probability about 2^-64. It guards against accidents (disk, copy, truncation), like the
 * object's SHA-256, and is simple enough that the guard-page signal handler computes it in machine
 * code over a text block before making the block executable ({@link dev.kiln.ir.code.Backend#signalHandler}).
 * A partial last word is padded with zeros.
 */
public final class BlockHash {
    /** Bytes per block. A multiple of every page size kiln runs with (4, 16 and 64 KiB). */
    public static final int BLOCK = 64 * 1024;
    public static final int BLOCK_SHIFT = 16;
    /** The multiplier (odd, so multiplying is a bijection). */
    public static final long K = 0x9E3779B97F4A7C15L;
    public static final int ROTATE = 29;

    private BlockHash() {
    }

    /** The seed of block {@code index}: the same bytes in another block give another digest. */
    public static long seed(long index) {
        return (index + 1) * 0xC2B2AE3D27D4EB4FL;
    }

    public static long step(long h, long word) {
        return Long.rotateLeft((h ^ word) * K, ROTATE);
    }

    /** The digest of {@code length} bytes of {@code bytes} from {@code offset}, as block {@code index}. */
    public static long of(byte[] bytes, int offset, int length, long index) {
        long h = seed(index);
        int end = offset + length;
        int i = offset;
        for (; i + 8 <= end; i += 8) h = step(h, (long) LE_LONG.get(bytes, i));
        if (i < end) {
            long w = 0;
            for (int k = 0; i + k < end; k++) w |= (bytes[i + k] & 0xffL) << (8 * k);
            h = step(h, w);
        }
        return h;
    }

    /** The digest of {@code length} bytes of {@code segment} from {@code offset}, as block {@code index}. */
    public static long of(MemorySegment segment, long offset, long length, long index) {
        long h = seed(index);
        long end = offset + length;
        long i = offset;
        // whole words are copied out in bulk and hashed from an array: this runs on a cache hit's path to the
        // first instruction, before the JIT has compiled it, where one segment access per word costs ~10x more
        long[] words = new long[(int) Math.min((end - i) >>> 3, BLOCK / 8)];
        while (end - i >= 8) {
            int n = (int) Math.min(words.length, (end - i) >>> 3);
            MemorySegment.copy(segment, ValueLayout.JAVA_LONG_UNALIGNED, i, words, 0, n);
            for (int k = 0; k < n; k++) h = step(h, words[k]);
            i += 8L * n;
        }
        if (i < end) {
            long w = 0;
            for (int k = 0; i + k < end; k++) w |= (segment.get(ValueLayout.JAVA_BYTE, i + k) & 0xffL) << (8 * k);
            h = step(h, w);
        }
        return h;
    }

    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
