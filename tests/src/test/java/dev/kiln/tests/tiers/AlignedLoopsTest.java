package dev.kiln.tests.tiers;

import dev.kiln.frontend.testing.LoopModules;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loops whose headers the backend pads to 32-byte boundaries (docs/design-changes.md, "Loop headers
 * aligned") compute what the interpreter computes, entered by falling through the padding. x86-64
 * here, AArch64 in {@link AlignedLoopsAarch64Test}.
 */
class AlignedLoopsTest {
    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    private static List<Long> run(Tier tier) {
        List<Long> out = new ArrayList<>();
        try (Store store = new Store().tier(tier)) {
            for (String wat : LoopModules.ALL) {
                FunctionInstance f = (FunctionInstance) store.instantiate(WasmModule.of(Wat.compile(wat), "loop.wasm"), new Imports())
                        .exports().get("run");
                for (int n = 0; n <= 30; n += 3) out.add(f.call(n, 17 - n)[0]);
            }
        }
        return out;
    }

    @Test
    void alignedLoopsComputeWhatTheInterpreterComputes() {
        assertEquals(run(Tier.INTERP), run(Tier.NATIVE));
    }
}
