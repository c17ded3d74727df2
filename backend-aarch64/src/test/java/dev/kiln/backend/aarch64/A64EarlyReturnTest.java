package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.RecursionModules;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Returns before the prologue on AArch64 (the shared {@code FramelessEntry}; docs/design-changes.md,
 * "Code before the prologue"): tak's base case and nqueens' solution and dead end return before
 * {@code stp x29, x30}, reading the parameters where they arrive although the prologue then moves them
 * to callee-saved registers.
 */
class A64EarlyReturnTest {
    private static List<String> listing(String wat, int function) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        return A64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), function, CodeOptions.DEFAULT, true).listing();
    }

    private static int indexOf(List<String> listing, String text) {
        for (int k = 0; k < listing.size(); k++) if (listing.get(k).contains(text)) return k;
        throw new AssertionError("no " + text + " in\n" + String.join("\n", listing));
    }

    private static long count(List<String> listing, String text) {
        return listing.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void takBaseCaseReturnsBeforeTheFrameRecord() {
        List<String> l = listing(RecursionModules.TAK, 0);
        String all = String.join("\n", l);
        int frame = indexOf(l, "stp\tx29, x30");
        assertEquals(1, count(l.subList(0, frame), "ret"), "the base case returns before the frame record:\n" + all);
        assertTrue(l.get(indexOf(l, "ret") - 1).contains("mov\tx0, x2"), "it returns z where it arrived:\n" + all);
    }

    @Test
    void nqueensSolutionAndDeadEndReturnBeforeTheFrameRecord() {
        List<String> l = listing(RecursionModules.NQUEENS, 0);
        String all = String.join("\n", l);
        int frame = indexOf(l, "stp\tx29, x30");
        assertEquals(2, count(l.subList(0, frame), "ret"), "the solution and the dead end return before the frame record:\n" + all);
        assertEquals(1, count(l, "cmp\tw0, w3"), "the entry's comparison runs once, on the registers the parameters arrive in:\n" + all);
    }
}
