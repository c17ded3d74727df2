package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oracle itself: a wrong encoding and a wrong listing are both caught. */
class EncodingCasesTest {
    @Test
    void catchesBytesThatDifferFromGnuAs() {
        EncodingCases c = new EncodingCases().add("add x0, x1, #2", a -> a.add(GeneralRegister.X0, GeneralRegister.X1, 1));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, c::assertAll);
        assertTrue(e.getMessage().contains("GNU as gives"), e.getMessage());
    }

    @Test
    void catchesListingThatDiffersFromObjdump() {
        EncodingCases c = new EncodingCases().add("nop",
                a -> a.emit(0xD503201F, () -> "yield"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, c::assertAll);
        assertTrue(e.getMessage().contains("objdump prints"), e.getMessage());
    }

    @Test
    void acceptsAMatchingCase() {
        new EncodingCases().add("nop", A64Assembler::nop).assertAll();
    }

    @Test
    void normalizationDropsCommentsAndAnnotationsOnly() {
        assertEquals("mov x0, #0x5", GnuBinutils.normalize("mov\tx0, #0x5                   \t// #5"));
        assertEquals("b.ne 0x40", GnuBinutils.normalize("b.ne\t0x40  // b.any"));
        assertEquals("bl 0x10", GnuBinutils.normalize("bl\t0x10 <memory_grow>"));
        assertEquals(List.of("add x0, x1, x2"), List.of(GnuBinutils.normalize("add  x0,x1 ,  x2")));
    }
}
