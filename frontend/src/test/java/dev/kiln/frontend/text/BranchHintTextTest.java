package dev.kiln.frontend.text;

import dev.kiln.frontend.BranchHints;
import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code @metadata.code.branch_hint} annotations: written as the custom section, read back by {@link BranchHints}. */
class BranchHintTextTest {
    private static Module decode(String text) {
        return Validator.validate(Decoder.decode(WatParser.parse(text, "test.wat").binary())).module();
    }

    private static TextFormatException error(String text) {
        return assertThrows(TextFormatException.class, () -> WatParser.parse(text, "bad.wat"));
    }

    @Test
    void flatAndFoldedHintsLandOnTheirBranch() {
        // body: 00 (no locals) | 20 00 local.get 0 | 04 40 if | 0b end | 02 40 block | 20 00 | 0d 00 br_if 0 | 0b 0b
        Module m = decode("""
                (module (func $f (param i32)
                  local.get 0
                  (@metadata.code.branch_hint "\\00") if end
                  (block (@metadata.code.branch_hint "\\01") (br_if 0 (local.get 0)))))
                """);
        BranchHints h = m.branchHints();
        assertEquals(0, h.hint(0, 3));
        assertEquals(1, h.hint(0, 10));
        assertEquals(-1, h.hint(0, 1));
        assertTrue(h.problems(m).isEmpty(), () -> h.problems(m).toString());
    }

    @Test
    void aFoldedIfIsHintedAfterItsCondition() {
        // 00 | 20 00 local.get 0 | 04 40 if ...
        Module m = decode("""
                (module (func (param i32)
                  (@metadata.code.branch_hint "\\01") (if (local.get 0) (then))))
                """);
        assertEquals(1, m.branchHints().hint(0, 3));
        assertEquals(-1, m.branchHints().hint(0, 1));
    }

    @Test
    void functionIndicesCountImports() {
        Module m = decode("""
                (module (import "m" "f" (func)) (func (param i32)
                  (@metadata.code.branch_hint "\\00") (if (local.get 0) (then))))
                """);
        assertEquals(0, m.branchHints().hint(1, 3));
        assertTrue(m.branchHints().problems(m).isEmpty());
    }

    @Test
    void aHintOnAnotherInstructionIsAnInvalidCustomSectionNotAnInvalidModule() {
        Module m = decode("""
                (module (func (param i32) (result i32)
                  local.get 0 (@metadata.code.branch_hint "\\01") i32.eqz))
                """);
        List<ModuleException> problems = m.branchHints().problems(m);
        assertEquals(1, problems.size());
        assertEquals("invalid", problems.get(0).category());
        assertTrue(problems.get(0).reason().contains("i32.eqz"), problems.get(0).reason());
    }

    @Test
    void misplacedOrRepeatedHintsAreMalformedText() {
        assertTrue(error("(module (func (param i32) local.get 0 (@metadata.code.branch_hint \"\\00\") (@metadata.code.branch_hint \"\\00\") if end))")
                .getMessage().contains("duplicate annotation"));
        assertTrue(error("(module (@metadata.code.branch_hint \"\\00\") (func))").getMessage().contains("not before an instruction"));
        assertTrue(error("(module (func (@metadata.code.branch_hint \"\\00\")))").getMessage().contains("not before an instruction"));
        assertTrue(error("(module (global i32 (@metadata.code.branch_hint \"\\00\") (i32.const 0)))").getMessage().contains("not in a function"));
        assertTrue(error("(module (func (param i32) local.get 0 (@metadata.code.branch_hint \"\\02\") if end))").getMessage().contains("malformed hint"));
        assertTrue(error("(module (func (param i32) local.get 0 (@metadata.code.branch_hint) if end))").getMessage().contains("expected one string"));
    }
}
