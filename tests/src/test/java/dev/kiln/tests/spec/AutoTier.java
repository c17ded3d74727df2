package dev.kiln.tests.spec;

import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierUp;

/**
 * The {@code auto} tier with thresholds forced to their lowest ({@code --hot-calls 1}) and
 * synchronous compilation: every function starts in the interpreter and is promoted at its first
 * call or back-edge, so tier switches happen in the middle of the suite's call sequences.
 */
public final class AutoTier extends ExecutionTier {
    @Override
    public String name() {
        return "auto";
    }

    @Override
    public Store newStore() {
        TierUp.configure(1, 1, true);
        return new Store().tier(Tier.AUTO);
    }

    /** The interpreter also runs tail calls and typed function references (auto keeps what the backends decline interpreted). */
    @Override
    public java.util.Set<dev.kiln.frontend.WasmFeature> executes() {
        return dev.kiln.wast.RuntimeTier.INTERPRETED;
    }
}
