package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shape of scalar code the AArch64 lowering picks, compared instruction by instruction (register copies left out). */
class A64CodeShapeTest {
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]+) \\t(.*)$");

    /** Function 0's body after the prologue's interruption check, up to the epilogue, without register moves. */
    private static List<String> body(String wat) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        MachineCode mc = A64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true);
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String line : mc.listing()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String text = GnuBinutils.normalize(m.group(3));
            if (!started) {
                started = text.startsWith("cbnz"); // the interruption check ends the prologue
                continue;
            }
            if (text.equals("mov sp, x29")) break;
            if (text.matches("mov [xw]\\d+, [xw]\\d+|mov v\\d+\\.16b, v\\d+\\.16b")) continue;
            out.add(text.replaceAll("\\b[xw]\\d+\\b", "r").replaceAll("\\b[sd]\\d+", "f"));
        }
        return out;
    }

    /** A select of a comparison used only by it: csel on the comparison's flags, no cset and no second compare. */
    @Test
    void aSelectOfACompareIsOneCselOnTheComparisonsFlags() {
        assertEquals(List.of("cmp r, r", "csel r, r, r, hi"), body("""
                (module (func (param i32 i32 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (i32.gt_u (local.get 0) (local.get 1)))))
                """));
        assertEquals(List.of("cmp r, #0x64", "csel r, r, r, lt"), body("""
                (module (func (param i64 i64 i64) (result i64)
                  (select (local.get 1) (local.get 2) (i64.lt_s (local.get 0) (i64.const 100)))))
                """));
        assertEquals(List.of("fcmp f, f", "csel r, r, r, mi"), body("""
                (module (func (param f64 f64 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (f64.lt (local.get 0) (local.get 1)))))
                """));
        assertEquals(List.of("fcmp f, f", "fcsel f, f, f, ne"), body("""
                (module (func (param f32 f32 f64 f64) (result f64)
                  (select (local.get 2) (local.get 3) (f32.ne (local.get 0) (local.get 1)))))
                """));
    }
}
