package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.LoopModules;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Loop headers aligned on x86-64 (multi-byte NOPs) (docs/design-changes.md, "Loop headers aligned"): an outermost
 * loop's header starts on a 32-byte boundary, a nested header the code before falls into is not padded,
 * and a function without loops has no padding ({@link LoopModules#assertHeadersAligned}).
 */
class X64LoopAlignmentTest {
    /** {@code offset: jcc 0xtarget}: a jump and where it goes. */
    private static final Pattern JUMP = Pattern.compile("^\\s*([0-9a-f]+):\\s+j[a-z]+\\s+0x([0-9a-f]+)");

    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    @Test
    void outermostLoopHeadersStartOnThirtyTwoByteBoundaries() {
        LoopModules.assertHeadersAligned(X64LoopAlignmentTest::listing, JUMP, "nop", 32);
    }
}
