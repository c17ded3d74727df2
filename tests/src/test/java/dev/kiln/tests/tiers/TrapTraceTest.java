package dev.kiln.tests.tiers;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Wasm stack of a trap in deep recursion: every tier records the innermost
 * {@code TrapException.MAX_FRAMES} frames and counts the rest, and {@link WasmTrap#describe} folds
 * the recursion (a frame or a cycle of frames repeated in a row) into a few lines ({@code kiln run} prints
 * it). In an AArch64 JVM: {@link TrapTraceAarch64Test}.
 */
class TrapTraceTest {
    /** a calls b calls a ... until the stack is exhausted; c calls itself. */
    private static final byte[] RECURSION = """
            (module
              (func $a (export "a") (param i32) (result i32) local.get 0 call $b)
              (func $b (param i32) (result i32) local.get 0 i32.const 1 i32.add call $a)
              (func $c (export "c") (param i32) (result i32) local.get 0 call $c))
            """.getBytes(StandardCharsets.UTF_8);

    private static WasmTrap trapOf(Tier tier, String function) {
        Engine engine = Engine.builder().tier(tier).build();
        try (Store store = engine.newStore()) {
            Instance instance = store.instantiate(engine.compile(RECURSION), new Imports());
            return assertThrows(WasmTrap.class, () -> instance.function(function).apply(0));
        }
    }

    @Test
    void everyTierRecordsTheInnermostFramesAndCountsTheRest() {
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE, Tier.AUTO)) {
            WasmTrap trap = trapOf(tier, "a");
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
            assertEquals(1000, trap.wasmStack().size(), tier.name());
            assertTrue(trap.omittedFrames() > 1000, tier + ": " + trap.omittedFrames() + " frames counted past the recorded ones");
        }
    }

    @Test
    void mutualRecursionIsFoldedIntoItsCycle() {
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE, Tier.AUTO)) {
            String text = trapOf(tier, "a").describe();
            List<String> lines = text.lines().toList();
            assertTrue(lines.size() <= 8, tier + " printed " + lines.size() + " lines:\n" + text);
            assertTrue(lines.stream().anyMatch(l -> l.matches("  \\.\\.\\. the 2 frames above repeated \\d+ more times")), text);
            assertTrue(lines.getLast().matches("  \\.\\.\\. \\d+ more frames"), text);
        }
    }

    @Test
    void directRecursionIsOneLineWithItsCount() {
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE, Tier.AUTO)) {
            String text = trapOf(tier, "c").describe();
            assertTrue(text.lines().anyMatch(l -> l.startsWith("  at c (func 2)") && l.matches(".*\\(repeated \\d+ times\\)")), text);
            assertTrue(text.lines().count() <= 5, text);
        }
    }
}
