package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.LoopModules;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Loop headers start on 16-byte boundaries on AArch64 too (docs/design-changes.md, "Loop headers
 * aligned"): every backward branch lands on a multiple of 16, padded with {@code nop}, and a function
 * without loops is not padded.
 */
class A64LoopAlignmentTest {
    /** {@code offset: word b|b.cc|cbz|cbnz|tbz|tbnz ..., 0xtarget}: a branch and where it goes. */
    private static final Pattern BRANCH = Pattern.compile("^\\s*([0-9a-f]+):\\s+[0-9a-f]{8}\\s+(?:b|b\\.[a-z]+|cbn?z|tbn?z)\\s.*?0x([0-9a-f]+)\\s*$");

    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        return A64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    @Test
    void backwardBranchesLandOnSixteenByteBoundaries() {
        LoopModules.assertHeadersAligned(A64LoopAlignmentTest::listing, BRANCH, "\tnop");
    }
}
