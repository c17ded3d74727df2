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
 * Loop headers start on 16-byte boundaries (docs/design-changes.md, "Loop headers aligned"): every
 * backward jump lands on a multiple of 16, the padding before a header is multi-byte NOPs, and a
 * function without loops is not padded.
 */
class X64LoopAlignmentTest {
    /** {@code offset: jcc 0xtarget}: a jump and where it goes. */
    private static final Pattern JUMP = Pattern.compile("^\\s*([0-9a-f]+):\\s+j[a-z]+\\s+0x([0-9a-f]+)");

    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    @Test
    void backwardJumpsLandOnSixteenByteBoundaries() {
        LoopModules.assertHeadersAligned(X64LoopAlignmentTest::listing, JUMP, "nop");
    }
}
