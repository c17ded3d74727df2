package dev.kiln.frontend;

import dev.kiln.frontend.testing.ModuleBytes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A module decoded from a codeless image (its bodies cut out) is the module decoded from the whole
 * binary: the same sections, data segments and custom sections at the same file offsets, data read
 * from the image, and the same bodies once asked for; the whole binary is asked for only then.
 */
class CodelessImageTest {
    private static final ModuleBytes BEFORE_CODE = ModuleBytes.header()
            .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0x00, 0x01, 0x7F))
            .section(3, ModuleBytes.contents().u32(2).u32(0).u32(0))
            .section(5, ModuleBytes.contents().u32(1).bytes(0x00).u32(1))
            .section(12, ModuleBytes.contents().u32(1));
    /** Two bodies: i32.const 7, and i32.const 16, i32.load8_u. */
    private static final byte[] BODIES = ModuleBytes.contents()
            .u32(4).bytes(0x00, 0x41, 0x07, 0x0B)
            .u32(7).bytes(0x00, 0x41, 0x10, 0x2D, 0x00, 0x00, 0x0B).build();
    private static final byte[] AFTER_CODE = ModuleBytes.contents()
            .section(11, ModuleBytes.contents().u32(1).bytes(0x00, 0x41, 0x10, 0x0B).u32(2).bytes('h', 'i'))
            .section(0, ModuleBytes.contents().u32(5).bytes('e', 'x', 't', 'r', 'a', 1, 2, 3)).build();

    private static byte[] whole() {
        byte[] before = BEFORE_CODE.build();
        byte[] code = ModuleBytes.contents().section(10, ModuleBytes.contents().u32(2).bytes(toInts(BODIES))).build();
        byte[] all = Arrays.copyOf(before, before.length + code.length + AFTER_CODE.length);
        System.arraycopy(code, 0, all, before.length, code.length);
        System.arraycopy(AFTER_CODE, 0, all, before.length + code.length, AFTER_CODE.length);
        return all;
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    /** The whole binary without its bodies: everything up to the code section's count, then what follows the section. */
    private static CodelessImage image(byte[] whole) {
        int holeStart = BEFORE_CODE.build().length + 3; // the code section's id, one-byte size, one-byte count
        byte[] bytes = new byte[whole.length - BODIES.length];
        System.arraycopy(whole, 0, bytes, 0, holeStart);
        System.arraycopy(whole, holeStart + BODIES.length, bytes, holeStart, bytes.length - holeStart);
        return new CodelessImage(bytes, holeStart, BODIES.length);
    }

    @Test
    void decodesLikeTheWholeBinaryAndReadsItOnlyForABody() {
        byte[] whole = whole();
        Module expected = Decoder.decode(whole);
        AtomicInteger wholeReads = new AtomicInteger();
        Module m = Decoder.decodeTrusted(image(whole), () -> {
            wholeReads.incrementAndGet();
            return whole;
        });
        assertEquals(expected.sections(), m.sections(), "sections at their file offsets");
        assertEquals(expected.data(), m.data(), "data segments at their file offsets");
        assertEquals(expected.customSections(), m.customSections());
        DataSegment seg = m.data().getFirst();
        assertArrayEquals(new byte[] {'h', 'i'}, Arrays.copyOfRange(m.dataArray(), m.dataStart(seg), m.dataStart(seg) + seg.dataLength()),
                "data read from the image");
        assertEquals(2, m.functionCount());
        assertFalse(m.wholeBinaryRead());
        assertEquals(0, wholeReads.get(), "nothing so far needed a body");

        assertEquals(expected.functionBodies().get(1), m.functionBodies().get(1));
        assertEquals(expected.functionBodies().get(0), m.functionBodies().get(0));
        assertTrue(m.wholeBinaryRead());
        assertArrayEquals(whole, m.bytes());
        assertEquals(1, wholeReads.get(), "the whole binary is read once");
    }
}
