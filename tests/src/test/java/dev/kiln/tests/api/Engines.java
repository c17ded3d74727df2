package dev.kiln.tests.api;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;

/** Engines for tests: a tier and tier-up thresholds, nothing cached, no precompiled code looked for. */
public final class Engines {
    private Engines() {
    }

    /** An engine of {@code tier} with the default thresholds. */
    public static Engine of(Tier tier) {
        return Engine.builder().tier(tier).precompiledCode(null).build();
    }

    /**
     * An engine of {@code tier} whose functions are hot after {@code hotCalls} calls or {@code hotLoops}
     * loop iterations; {@code background}: hot code compiles on the compiler thread, else on the calling one.
     */
    public static Engine of(Tier tier, int hotCalls, int hotLoops, boolean background) {
        return Engine.builder().tier(tier).hotCalls(hotCalls).hotLoops(hotLoops).compileInBackground(background)
                .precompiledCode(null).build();
    }

    /** Waits until every compilation requested in the background has finished. */
    public static void awaitCompilations() {
        of(Tier.INTERP).awaitCompilations();
    }
}
