package dev.kiln.frontend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LEB128 readers: round trips, padded (still valid) forms, and every overlong or overflowing form. */
class Leb128Test {
    static byte[] unsigned(long v, int padTo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            n++;
            boolean more = v != 0 || n < padTo;
            out.write(more ? b | 0x80 : b);
        } while (v != 0 || n < padTo);
        return out.toByteArray();
    }

    static byte[] signed(long v, int padTo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1; ; n++) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean valueDone = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            if (valueDone && n >= padTo) {
                out.write(b);
                return out.toByteArray();
            }
            out.write(b | 0x80);
        }
    }

    private static WasmReader reader(byte[] b) {
        return new WasmReader(b);
    }

    @Property
    void u32RoundTrips(@ForAll long raw, @ForAll @IntRange(min = 0, max = 5) int pad) {
        long v = raw & 0xFFFFFFFFL;
        byte[] enc = unsigned(v, pad);
        WasmReader r = reader(enc);
        assertEquals(v, r.u32());
        assertTrue(r.atEnd());
    }

    @Property
    void s32RoundTrips(@ForAll int v, @ForAll @IntRange(min = 0, max = 5) int pad) {
        WasmReader r = reader(signed(v, pad));
        assertEquals(v, r.s32());
        assertTrue(r.atEnd());
    }

    @Property
    void s64RoundTrips(@ForAll long v, @ForAll @IntRange(min = 0, max = 10) int pad) {
        WasmReader r = reader(signed(v, pad));
        assertEquals(v, r.s64());
        assertTrue(r.atEnd());
    }

    @Property
    void s33RoundTrips(@ForAll @IntRange(min = -1 << 30, max = Integer.MAX_VALUE) int v) {
        WasmReader r = reader(signed(v, 0));
        assertEquals(v, r.s33());
    }

    @Property
    void u32LongerThanFiveBytesIsTooLong(@ForAll long raw) {
        byte[] enc = unsigned(raw & 0xFFFFFFFFL, 6);
        assertEquals("integer representation too long",
                assertThrows(MalformedModuleException.class, () -> reader(enc).u32()).reason());
    }

    @Property
    void u32UnusedBitsInFifthByteMustBeZero(@ForAll @IntRange(min = 1, max = 7) int extra) {
        // 5 bytes, the last one carrying bits above bit 31
        byte[] enc = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) (0x0F | (extra << 4))};
        assertEquals("integer too large", assertThrows(MalformedModuleException.class, () -> reader(enc).u32()).reason());
    }

    @Test
    void s32LastByteMustSignExtend() {
        // 0x7FFFFFFF with a stray high bit, and -1 with a cleared sign-extension bit
        byte[] badPositive = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x17};
        byte[] badNegative = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x70 & 0x6F};
        assertThrows(MalformedModuleException.class, () -> reader(badPositive).s32());
        assertThrows(MalformedModuleException.class, () -> reader(badNegative).s32());
        assertEquals(Integer.MIN_VALUE, reader(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x78}).s32());
        assertEquals(Integer.MAX_VALUE, reader(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}).s32());
    }

    @Property
    void s64LongerThanTenBytesIsTooLong(@ForAll long v) {
        byte[] enc = signed(v, 11);
        assertThrows(MalformedModuleException.class, () -> reader(enc).s64());
    }

    @Test
    void s64TenthByteMustBeSignExtension() {
        byte[] ok = new byte[10];
        Arrays.fill(ok, (byte) 0xFF);
        ok[9] = 0x7F; // -1
        assertEquals(-1L, reader(ok).s64());
        byte[] bad = ok.clone();
        bad[9] = 0x7E;
        assertThrows(MalformedModuleException.class, () -> reader(bad).s64());
        byte[] bad2 = ok.clone();
        bad2[9] = 0x02; // sign bit (bit 63) clear, but a bit above it set
        assertThrows(MalformedModuleException.class, () -> reader(bad2).s64());
    }

    @Property
    void truncatedEncodingsAreUnexpectedEnd(@ForAll long v) {
        byte[] enc = signed(v, 0);
        if (enc.length < 2) return;
        byte[] cut = Arrays.copyOf(enc, enc.length - 1);
        assertEquals("unexpected end", assertThrows(MalformedModuleException.class, () -> reader(cut).s64()).reason());
    }
}
