package dev.kiln.cli;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln run --invoke} prints floats exactly and reads back what it prints, NaN payloads included. */
class ValueTextTest {
    @TempDir
    Path dir;

    @Property(tries = 3000)
    void everyF64PrintsAndParsesBackToTheSameBits(@ForAll long bits) {
        String text = ValueText.format(bits, ValType.F64);
        assertEquals(bits, ValueText.parse(text, ValType.F64), text);
        assertEquals(bits, ValueText.parse(ValueText.format(bits, ValType.F64, true), ValType.F64));
    }

    @Property(tries = 3000)
    void everyF32PrintsAndParsesBackToTheSameBits(@ForAll int bits) {
        long raw = bits & 0xFFFF_FFFFL;
        String text = ValueText.format(raw, ValType.F32);
        assertEquals(raw, ValueText.parse(text, ValType.F32), text);
        assertEquals(raw, ValueText.parse(ValueText.format(raw, ValType.F32, true), ValType.F32));
    }

    @Test
    void printsTheTextFormatsForms() {
        assertEquals("-0", f64(-0.0));
        assertEquals("0", f64(0.0));
        assertEquals("1e300", f64(1e300));
        assertEquals("1.5", f64(1.5));
        assertEquals("123", f64(123));
        assertEquals("0.001", f64(0.001));
        assertEquals("1e-7", f64(1e-7));
        assertEquals("-2.5e21", f64(-2.5e21));
        assertEquals("4.9e-324", f64(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e308", f64(Double.MAX_VALUE));
        assertEquals("0.1", f64(0.1));
        assertEquals("inf", f64(Double.POSITIVE_INFINITY));
        assertEquals("-inf", f64(Double.NEGATIVE_INFINITY));
        assertEquals("nan", ValueText.format(0x7FF8_0000_0000_0000L, ValType.F64));
        assertEquals("-nan", ValueText.format(0xFFF8_0000_0000_0000L, ValType.F64));
        assertEquals("nan:0x1", ValueText.format(0x7FF0_0000_0000_0001L, ValType.F64));
        assertEquals("nan:0x200000", ValueText.format(0x7FA0_0000L, ValType.F32));
        assertEquals("nan", ValueText.format(0x7FC0_0000L, ValType.F32));
        assertEquals("-nan:0x1", ValueText.format(0xFF80_0001L, ValType.F32));
        assertEquals("0.1", ValueText.format(Float.floatToRawIntBits(0.1f), ValType.F32));
        assertEquals("3.4028235e38", ValueText.format(Float.floatToRawIntBits(Float.MAX_VALUE), ValType.F32));
        assertEquals("0x7ff8000000000001", ValueText.format(0x7FF8_0000_0000_0001L, ValType.F64, true));
        assertEquals("0x80000000", ValueText.format(0x8000_0000L, ValType.F32, true));
    }

    @Test
    void parsesTheSameFormsAndRejectsOthers() {
        assertEquals(Double.doubleToRawLongBits(-0.0), ValueText.parse("-0", ValType.F64));
        assertEquals(Double.doubleToRawLongBits(1e300), ValueText.parse("1e300", ValType.F64));
        assertEquals(Double.doubleToRawLongBits(12.0), ValueText.parse("0x1.8p3", ValType.F64), "a hex float");
        assertEquals(0x7FA0_0000L, ValueText.parse("nan:0x200000", ValType.F32));
        assertEquals(0xFFF8_0000_0000_0000L, ValueText.parse("-nan", ValType.F64));
        assertEquals(0x7FF8_0000_0000_0001L, ValueText.parse("0x7ff8000000000001", ValType.F64), "raw bits");
        // an f32 decimal rounds once, to f32 (via f64 it would round twice, to 1.0)
        assertEquals(0x3F80_0001L, ValueText.parse("1.000000059604644776257986737988403547206", ValType.F32));
        for (String bad : new String[] {"1.5f", "1d", "nan:0x0", "nan:0x800000", "0x1ffffffff", "one", "1e", ""}) {
            assertThrows(NumberFormatException.class, () -> ValueText.parse(bad, ValType.F32), bad);
        }
    }

    @Test
    void kilnRunPrintsResultsItCanReadBack() throws Exception {
        Path p = dir.resolve("id.wasm");
        Files.write(p, Wat.compile("""
                (module (func (export "id") (param f32 f64) (result f32 f64) (local.get 0) (local.get 1)))
                """));
        String[][] cases = {{"-0", "1e300"}, {"nan:0x200000", "-nan:0x1"}, {"3.4028235e38", "4.9e-324"}, {"-inf", "0.1"}};
        for (String[] args : cases) {
            CliRunner r = CliRunner.run("run", "--tier", "interp", "--invoke", "id", p.toString(), args[0], args[1]);
            assertEquals(0, r.exit(), r.err());
            assertEquals(args[0] + "\n" + args[1] + "\n", r.out());
        }
        CliRunner bits = CliRunner.run("run", "--tier", "interp", "--float-bits", "--invoke", "id", p.toString(), "-0", "nan:0x1");
        assertEquals("0x80000000\n0x7ff0000000000001\n", bits.out(), bits.err());
        CliRunner bad = CliRunner.run("run", "--tier", "interp", "--invoke", "id", p.toString(), "1.5f", "0");
        assertEquals(Main.USAGE, bad.exit());
        assertTrue(bad.err().contains("is not a valid f32"), bad.err());
    }

    private static String f64(double v) {
        return ValueText.format(Double.doubleToRawLongBits(v), ValType.F64);
    }
}
