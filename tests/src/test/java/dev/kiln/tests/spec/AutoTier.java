package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.wast.RuntimeTier;

import java.util.Set;

/**
 * The {@code auto} tier with thresholds forced to their lowest ({@code --hot-calls 1}) and
 * synchronous compilation: every function starts in the interpreter and is promoted at its first
 * call or back-edge, so tier switches happen in the middle of the suite's call sequences. It runs
 * SIMD too (natively where the host's backend compiles it).
 */
public final class AutoTier extends ExecutionTier {
    @Override
    public String name() {
        return "auto";
    }

    @Override
    public Set<WasmFeature> executes() {
        return RuntimeTier.INTERPRETED;
    }

    @Override
    public Store newStore() {
        return Engine.builder().tier(Tier.AUTO).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build()
                .newStore();
    }
}
