package dev.kiln.backend.aarch64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bitmask immediates: the encoder agrees with the exhaustive set obtained by decoding every
 * N:immr:imms field, encode and decode are inverse, and random valid values assemble like GNU as
 * does and disassemble as the listing says.
 */
class LogicalImmediateProperties {
    private static final List<Long> ALL_64 = enumerate(64);
    private static final List<Long> ALL_32 = enumerate(32);
    private static final Set<Long> SET_64 = new HashSet<>(ALL_64);
    private static final Set<Long> SET_32 = new HashSet<>(ALL_32);

    private static List<Long> enumerate(int width) {
        List<Long> values = new ArrayList<>();
        for (int field = 0; field < 1 << 13; field++) {
            try {
                values.add(LogicalImmediate.decode(field, width));
            } catch (IllegalArgumentException reserved) {
                // not an encoding
            }
        }
        return values.stream().distinct().toList();
    }

    @Example
    void theArchitectureHas5334And1302BitmaskImmediates() {
        assertEquals(5334, SET_64.size());
        assertEquals(1302, SET_32.size());
    }

    /**
     * For element sizes below 64 the high bits of immr are ignored, so several fields decode to one
     * value; encode picks the canonical one (immr below the element size), which decodes back.
     */
    @Example
    void encodeInvertsDecodeForEveryField() {
        for (int width : new int[]{32, 64}) {
            for (int field = 0; field < 1 << 13; field++) {
                long value;
                try {
                    value = LogicalImmediate.decode(field, width);
                } catch (IllegalArgumentException reserved) {
                    continue;
                }
                int encoded = LogicalImmediate.encode(value, width);
                assertEquals(value, LogicalImmediate.decode(encoded, width), "field " + Integer.toHexString(field));
                int imms = encoded & 0x3F, n = encoded >>> 12;
                int size = n == 1 ? 64 : Integer.highestOneBit(~imms & 0x3F) * 2;
                assertTrue(((encoded >>> 6) & 0x3F) < size, "canonical immr for " + Long.toHexString(value));
            }
        }
    }

    @Example
    void zeroAndOnesAreNotEncodable() {
        assertEquals(-1, LogicalImmediate.encode(0, 64));
        assertEquals(-1, LogicalImmediate.encode(-1, 64));
        assertEquals(-1, LogicalImmediate.encode(0xFFFF_FFFFL, 32));
        assertEquals(-1, LogicalImmediate.encode(0xFFFF_FFFF_0000_0000L, 32), "only the low 32 bits count");
        assertThrows(IllegalArgumentException.class, () -> LogicalImmediate.encode(1, 16));
    }

    @Provide
    Arbitrary<Long> anyLong() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(ALL_64), Arbitraries.of(ALL_64).map(v -> v ^ 1L << (v & 63)));
    }

    @Property(tries = 3000)
    void validityCheckMatchesTheExhaustiveSet(@ForAll("anyLong") long value) {
        assertEquals(SET_64.contains(value), LogicalImmediate.isLogicalImmediate(value, 64));
        assertEquals(SET_32.contains(value & 0xFFFF_FFFFL), LogicalImmediate.isLogicalImmediate(value, 32));
    }

    @Property(tries = 3000)
    void roundTrip(@ForAll @IntRange(min = 1, max = 6) int log2Size, @ForAll @IntRange(min = 1, max = 63) int ones,
                   @ForAll @IntRange(min = 0, max = 63) int rotation) {
        int size = 1 << log2Size;
        if (ones >= size) return;
        long element = (1L << ones) - 1;
        int r = rotation % size;
        long mask = size == 64 ? -1L : (1L << size) - 1;
        long rotated = r == 0 ? element : ((element >>> r) | (element << (size - r))) & mask;
        long value = rotated;
        for (int filled = size; filled < 64; filled *= 2) value |= value << filled;
        int field = LogicalImmediate.encode(value, 64);
        assertEquals(value, LogicalImmediate.decode(field, 64));
        if (size <= 32) {
            long low = value & 0xFFFF_FFFFL;
            assertEquals(low, LogicalImmediate.decode(LogicalImmediate.encode(low, 32), 32));
        }
    }

    @Provide
    Arbitrary<List<Long>> batches() {
        return Arbitraries.of(ALL_64).list().ofSize(200);
    }

    @Property(tries = 8)
    void randomImmediatesAgreeWithGnuBinutils(@ForAll("batches") List<Long> values) {
        GnuBinutils.assumeAvailable();
        EncodingCases c = new EncodingCases();
        LogicalOp[] ops = {LogicalOp.AND, LogicalOp.ORR, LogicalOp.EOR, LogicalOp.ANDS};
        int i = 0;
        for (long v : values) {
            LogicalOp op = ops[i % 4];
            GeneralRegister rd = GeneralRegister.x(i % 31), rn = i % 5 == 0 ? XZR : GeneralRegister.x((i * 7) % 31);
            c.add(op.mnemonic() + " " + rd + ", " + rn + ", #0x" + Long.toHexString(v), a -> a.logical(op, rd, rn, v));
            long low = v & 0xFFFF_FFFFL;
            if (SET_32.contains(low)) {
                GeneralRegister wd = rd.w(), wn = rn.w();
                c.add(op.mnemonic() + " " + wd + ", " + wn + ", #0x" + Long.toHexString(low), a -> a.logical(op, wd, wn, low));
            }
            i++;
        }
        c.assertAll();
    }
}
