package dev.kiln.backend.aarch64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code mov(reg, value)}: the sequence it emits, as objdump decodes it and as a small interpreter of
 * MOV/MOVZ/MOVN/MOVK/ORR text evaluates it, leaves exactly the value in the register, in at most
 * four instructions (two for W) and never more than the plain MOVZ/MOVN + MOVK sequence.
 */
class MoveImmediateProperties {
    @Provide
    Arbitrary<Long> values() {
        Arbitrary<Integer> halfword = Arbitraries.oneOf(Arbitraries.of(0, 0xFFFF, 1, 0x8000),
                Arbitraries.integers().between(0, 0xFFFF));
        Arbitrary<Long> composed = halfword.list().ofSize(4)
                .map(h -> (long) h.get(0) | (long) h.get(1) << 16 | (long) h.get(2) << 32 | (long) h.get(3) << 48);
        return Arbitraries.oneOf(Arbitraries.longs(), composed, composed,
                Arbitraries.longs().between(-70000, 70000));
    }

    @Provide
    Arbitrary<List<Long>> batches() {
        return values().list().ofSize(250);
    }

    @Property(tries = 12)
    void sequencesProduceTheValue(@ForAll("batches") List<Long> values) {
        GnuBinutils.assumeAvailable();
        A64Assembler a = new A64Assembler(true);
        List<int[]> ranges = new ArrayList<>();
        List<GeneralRegister> registers = new ArrayList<>();
        int i = 0;
        for (long v : values) {
            for (boolean x64 : new boolean[]{true, false}) {
                GeneralRegister rd = GeneralRegister.x(i++ % 31).view(x64);
                int start = a.offset();
                a.mov(rd, v);
                ranges.add(new int[]{start, a.offset()});
                registers.add(rd);
            }
        }
        AssembledCode code = a.finish();
        EncodingCases.assertListingMatchesObjdump(code);
        Map<Integer, GnuBinutils.Disassembled> dis = GnuBinutils.disassemble(code.code());
        for (int k = 0; k < ranges.size(); k++) {
            long v = values.get(k / 2);
            GeneralRegister rd = registers.get(k);
            long expected = rd.is64() ? v : v & 0xFFFF_FFFFL;
            int[] r = ranges.get(k);
            long result = 0x5A5A5A5A5A5A5A5AL; // garbage: the sequence must not depend on the old value
            List<String> texts = new ArrayList<>();
            for (int at = r[0]; at < r[1]; at += 4) {
                String text = GnuBinutils.normalize(dis.get(at).text());
                texts.add(text);
                result = evaluate(text, rd, result);
            }
            int count = (r[1] - r[0]) / 4;
            assertEquals(expected, result, () -> rd + " = 0x" + Long.toHexString(expected) + " via " + texts);
            assertTrue(count <= (rd.is64() ? 4 : 2), texts::toString);
            assertTrue(count <= naiveLength(expected, rd.width()), texts::toString);
        }
    }

    private static int naiveLength(long v, int width) {
        int zeros = 0, ones = 0;
        for (int s = 0; s < width; s += 16) {
            int h = (int) (v >>> s) & 0xFFFF;
            if (h == 0) zeros++;
            if (h == 0xFFFF) ones++;
        }
        return Math.max(1, width / 16 - Math.max(zeros, ones));
    }

    /** Applies one instruction (objdump text) to the register value. */
    private static long evaluate(String text, GeneralRegister rd, long old) {
        String[] parts = text.split("[ ,]+");
        if (!parts[1].equals(rd.name())) fail("writes " + parts[1] + " instead of " + rd + ": " + text);
        long mask = rd.is64() ? -1L : 0xFFFF_FFFFL;
        long imm = parts.length > 2 && parts[parts.length - 1].startsWith("#") ? 0 : 0;
        int shift = text.contains("lsl #") ? Integer.parseInt(text.substring(text.indexOf("lsl #") + 5)) : 0;
        switch (parts[0]) {
            case "mov" -> imm = Long.parseUnsignedLong(parts[2].substring(3), 16);
            case "movz" -> imm = Long.parseUnsignedLong(parts[2].substring(3), 16) << shift;
            case "movn" -> imm = ~(Long.parseUnsignedLong(parts[2].substring(3), 16) << shift);
            case "movk" -> {
                long h = Long.parseUnsignedLong(parts[2].substring(3), 16);
                return ((old & ~(0xFFFFL << shift)) | h << shift) & mask;
            }
            case "orr" -> {
                if (!parts[2].equals(rd.is64() ? "xzr" : "wzr")) fail("orr from a register: " + text);
                imm = Long.parseUnsignedLong(parts[3].substring(3), 16);
            }
            default -> fail("unexpected instruction " + text);
        }
        return imm & mask;
    }

    @Example
    void knownShortSequences() {
        assertEquals(1, length(0));
        assertEquals(1, length(-1));
        assertEquals(1, length(0xFFFF_0000_0000_0000L));
        assertEquals(1, length(0x5555_5555_5555_5555L), "ORR with a bitmask immediate");
        assertEquals(2, length(0x1234_5678L));
        assertEquals(2, length(0xFFFF_FFFF_1234_5678L), "MOVN + MOVK");
        assertEquals(2, length(0x5555_1234_5555_5555L), "ORR + MOVK");
        assertEquals(4, length(0x1234_5678_9ABC_DEF0L));
    }

    private static int length(long value) {
        A64Assembler a = new A64Assembler();
        a.mov(GeneralRegister.X0, value);
        return a.finish().code().length / 4;
    }
}
