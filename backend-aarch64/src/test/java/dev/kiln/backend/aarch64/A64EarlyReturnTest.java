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

    /** The listing of function 0 of {@code wat}, after checking that {@code returns} returns come before the frame record. */
    private static List<String> returningBeforeTheFrameRecord(String wat, int returns) {
        List<String> l = listing(wat, 0);
        assertEquals(returns, count(l.subList(0, indexOf(l, "stp\tx29, x30")), "ret"), "returns before the frame record:\n" + String.join("\n", l));
        return l;
    }

    @Test
    void takBaseCaseReturnsBeforeTheFrameRecord() {
        List<String> l = returningBeforeTheFrameRecord(RecursionModules.TAK, 1);
        assertTrue(l.get(indexOf(l, "ret") - 1).contains("mov\tx0, x2"), "it returns z where it arrived:\n" + String.join("\n", l));
    }

    @Test
    void nqueensSolutionAndDeadEndReturnBeforeTheFrameRecord() {
        List<String> l = returningBeforeTheFrameRecord(RecursionModules.NQUEENS, 2);
        assertEquals(1, count(l, "cmp\tw0, w3"), "the entry's comparison runs once, where the parameters arrive:\n" + String.join("\n", l));
    }
}
