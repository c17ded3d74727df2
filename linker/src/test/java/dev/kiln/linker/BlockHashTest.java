package dev.kiln.linker;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A block's digest is the same whether it is read from an array or from mapped memory (which copies words out in bulk). */
class BlockHashTest {
    @Test
    void segmentAndArrayDigestsAgreeForEveryLengthAndOffset() {
        byte[] bytes = new byte[2 * BlockHash.BLOCK + 40];
        new Random(7).nextBytes(bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
            int[] lengths = {0, 1, 7, 8, 9, 63, 64, 65, 4096, BlockHash.BLOCK - 3, BlockHash.BLOCK, BlockHash.BLOCK + 13, 2 * BlockHash.BLOCK + 17};
            for (int offset : new int[] {0, 1, 5, 8, 23}) {
                for (int length : lengths) {
                    assertEquals(BlockHash.of(bytes, offset, length, 3), BlockHash.of(s, offset, length, 3),
                            "offset " + offset + ", length " + length);
                }
            }
        }
    }

    @Test
    void oneChangedByteChangesTheDigestOfMappedMemory() {
        byte[] bytes = new byte[BlockHash.BLOCK];
        new Random(11).nextBytes(bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long before = BlockHash.of(s, 0, bytes.length, 0);
            for (int at : new int[] {0, 7, 8, BlockHash.BLOCK / 2, BlockHash.BLOCK - 1}) {
                s.set(ValueLayout.JAVA_BYTE, at, (byte) (bytes[at] ^ 0x10));
                assertNotEquals(before, BlockHash.of(s, 0, bytes.length, 0), "byte " + at);
                s.set(ValueLayout.JAVA_BYTE, at, bytes[at]);
            }
            assertEquals(before, BlockHash.of(s, 0, bytes.length, 0));
        }
    }
}
