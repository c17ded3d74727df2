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
 * Loop headers aligned on AArch64 ({@code nop}) (docs/design-changes.md, "Loop headers aligned"): an outermost
 * loop's header starts on a 32-byte boundary, a nested header the code before falls into is not padded,
 * and a function without loops has no padding ({@link LoopModules#assertHeadersAligned}).
 */
class A64LoopAlignmentTest {
    /** {@code offset: word b|b.cc|cbz|cbnz|tbz|tbnz ..., 0xtarget}: a branch and where it goes. */
    private static final Pattern BRANCH = Pattern.compile("^\\s*([0-9a-f]+):\\s+[0-9a-f]{8}\\s+(?:b|b\\.[a-z]+|cbn?z|tbn?z)\\s.*?0x([0-9a-f]+)\\s*$");

    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        return A64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    @Test
    void outermostLoopHeadersStartOnThirtyTwoByteBoundaries() {
        LoopModules.assertHeadersAligned(A64LoopAlignmentTest::listing, BRANCH, "\tnop", 32);
    }
}
