package dev.kiln.wast;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;

import java.util.EnumSet;
import java.util.Set;

/**
 * The runtime's own tiers as {@code kiln wast} runs them: {@code interp}, {@code native}
 * (everything compiled for the host before it runs) and {@code auto} (default thresholds). They
 * execute WebAssembly 2.0 ({@link #EXECUTED}) and SIMD and relaxed SIMD ({@link #WITH_SIMD}): the
 * interpreter always, the native tier when the host's backend compiles SIMD, auto always (it
 * interprets what it cannot compile); every other feature is not run yet.
 */
public record RuntimeTier(String name, Tier tier) implements WastTier {
    /** The features kiln's runtime executes today, on every tier. */
    public static final Set<WasmFeature> EXECUTED = EnumSet.of(WasmFeature.BASE);
    /** The features of a tier that executes SIMD too: also SIMD and relaxed SIMD. */
    public static final Set<WasmFeature> WITH_SIMD = EnumSet.of(WasmFeature.BASE, WasmFeature.SIMD, WasmFeature.RELAXED_SIMD);

    public static RuntimeTier named(String name) {
        return switch (name) {
            case "interp" -> new RuntimeTier("interp", Tier.INTERP);
            case "native" -> new RuntimeTier("native", Tier.NATIVE);
            case "auto" -> new RuntimeTier("auto", Tier.AUTO);
            default -> throw new IllegalArgumentException("unknown tier " + name + " (interp, native, auto)");
        };
    }

    @Override
    public Set<WasmFeature> executes() {
        return tier != Tier.NATIVE || Backends.host().compilesSimd() ? WITH_SIMD : EXECUTED;
    }

    @Override
    public Store newStore() {
        return new Store().tier(tier);
    }
}
