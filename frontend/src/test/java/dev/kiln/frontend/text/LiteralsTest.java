package dev.kiln.frontend.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiteralsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Long integer(String s, int bits) {
        byte[] t = b(s);
        return Literals.integer(t, 0, t.length, bits, false);
    }

    private static Integer f32(String s) {
        byte[] t = b(s);
        return Literals.f32(t, 0, t.length);
    }

    private static Long f64(String s) {
        byte[] t = b(s);
        return Literals.f64(t, 0, t.length);
    }

    @Test
    void numberSyntax() {
        for (String s : new String[] {"0", "1_000", "-1", "+0x1F", "0x1.8p3", "1.", "1.5e-3", "1E+10", "inf", "-nan",
                "nan:0x7f", "0x1p-1"}) {
            assertTrue(Literals.isNumber(b(s), 0, s.length()), s);
        }
        for (String s : new String[] {"_1", "1_", "1__0", "0x", "0x_1", ".5", "1e", "1.e", "0$x", "nan:1", "nan:0x", "infinity", "1.2.3"}) {
            assertFalse(Literals.isNumber(b(s), 0, s.length()), s);
        }
    }

    @Test
    void integersAreRangeChecked() {
        assertEquals(0xFFFF_FFFFL, integer("4294967295", 32));
        assertEquals(-2147483648L, integer("-2147483648", 32));
        assertNull(integer("4294967296", 32));
        assertNull(integer("-2147483649", 32));
        assertEquals(-1L, integer("0xFFFF_FFFF_FFFF_FFFF", 64));
        assertNull(integer("0x1_0000_0000_0000_0000", 64));
        assertEquals(Long.MIN_VALUE, integer("-0x8000000000000000", 64));
        assertEquals(-1L, integer("-1", 64));
        assertEquals(999_999_999_999_999_999L, integer("999_999_999_999_999_999", 64), "the longest literal without BigInteger");
        assertEquals(-999_999_999_999_999_999L, integer("-999999999999999999", 64));
        assertEquals(0xF_FFFF_FFFF_FFFFL, integer("0xF_FFFF_FFFF_FFFF", 64));
        assertNull(integer("-9223372036854775809", 64));
        assertEquals(255L, integer("255", 8));
        assertEquals(-128L, integer("-128", 8));
        assertNull(integer("256", 8));
        assertNull(integer("000000000000000000000000000000000000000000018446744073709551616", 64));
        assertEquals(1L, integer("0000000000000000000000000000000000000000000000001", 64));
        byte[] t = b("+1");
        assertNull(Literals.integer(t, 0, 2, 32, true), "a sign is not allowed where an unsigned integer is expected");
    }

    @Test
    void floats() {
        assertEquals(Float.floatToRawIntBits(1.5f), f32("1.5"));
        assertEquals(0x8000_0000, f32("-0"));
        assertEquals(0x7FC0_0000, f32("nan"));
        assertEquals(0xFFC0_0000, f32("-nan"));
        assertEquals(0x7F80_0001, f32("nan:0x1"));
        assertNull(f32("nan:0x800000"), "payload wider than the mantissa");
        assertNull(f32("nan:0x0"));
        assertEquals(0x7F80_0000, f32("inf"));
        assertEquals(Float.floatToRawIntBits(Float.MAX_VALUE), f32("0x1.fffffep127"));
        assertNull(f32("0x1p128"), "overflows to infinity");
        assertNull(f32("1e39"));
        assertEquals(Float.floatToRawIntBits(12f), f32("0x1.8p3"));
        assertEquals(Float.floatToRawIntBits(1f), f32("0x1"), "hexadecimal without exponent");
        assertEquals(Float.floatToRawIntBits(1e10f), f32("1_0e0_9"));
        // round to nearest, ties to even, from the exact value (not through double)
        assertEquals(0x3F80_0000, f32("0x1.000001p0"));
        assertEquals(0x3F80_0002, f32("0x1.000003p0"));
        assertEquals(0x3F80_0002, f32("0x1.000005p0"));
        assertEquals(0x3F80_0001, f32("0x1.00000100000000000000001p0"), "just above the tie rounds up");
        assertEquals(0x3F80_0000, f32("1.00000005960464477539062499"), "just below the tie rounds down");
        assertEquals(0x3F80_0001, f32("1.00000005960464477539062501"));
        assertEquals(Double.doubleToRawLongBits(0.1), f64("0.1"));
        assertEquals(0x7FF0_0000_0000_0001L, f64("nan:0x1"));
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, f64("nan:0xfffffffffffff"));
        assertNull(f64("0x1p1024"));
        assertEquals(Double.doubleToRawLongBits(Double.MIN_VALUE), f64("0x1p-1074"));
        assertEquals(0L, f64("0x1p-1076"), "underflow rounds to zero");
    }

    @Test
    void strings() {
        SourceText src = new SourceText("s", b("\"a\\n\\t\\\\\\'\\\"\\00\\ff\\u{10FFFF}\\u{41}\""));
        byte[] s = Literals.string(src, 0, src.bytes().length);
        byte[] expected = {'a', '\n', '\t', '\\', '\'', '"', 0, (byte) 0xFF, (byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF, 'A'};
        assertArrayEquals(expected, s);
        assertFalse(Literals.isUtf8(new byte[] {(byte) 0xFF}));
        assertFalse(Literals.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "surrogate");
        assertFalse(Literals.isUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}), "overlong");
        assertTrue(Literals.isUtf8(b("λ€😀")));
    }
}
