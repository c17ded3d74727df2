package dev.kiln.wast;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;

import java.util.EnumSet;
import java.util.Set;

/**
 * The runtime's own tiers as {@code kiln wast} runs them: {@code interp}, {@code native}
 * (everything compiled for the host before it runs) and {@code auto} (default thresholds). They
 * execute WebAssembly 2.0, extended constants, tail calls, typed function references, several
 * and 64-bit memories and tables and GC ({@link #EXECUTED}) and SIMD and relaxed SIMD
 * ({@link #WITH_SIMD}) on the native tier when the host's backend compiles SIMD; the interpreter (and
 * so {@code auto}, which keeps what the backends decline interpreted) also runs SIMD, exception
 * handling, legacy instructions included ({@link #INTERPRETED}). Every other feature is not run yet.
 */
public record RuntimeTier(String name, Tier tier) implements WastTier {
    /** The features kiln's runtime executes on every tier: the native backends lower them all. */
    public static final Set<WasmFeature> EXECUTED = EnumSet.of(WasmFeature.BASE, WasmFeature.EXTENDED_CONST,
            WasmFeature.TAIL_CALL, WasmFeature.FUNCTION_REFERENCES, WasmFeature.MULTI_MEMORY, WasmFeature.MEMORY64, WasmFeature.GC);
    /** The features of a native tier that compiles SIMD: {@link #EXECUTED}, SIMD and relaxed SIMD. */
    public static final Set<WasmFeature> WITH_SIMD = EnumSet.of(WasmFeature.BASE, WasmFeature.EXTENDED_CONST,
            WasmFeature.TAIL_CALL, WasmFeature.FUNCTION_REFERENCES, WasmFeature.MULTI_MEMORY, WasmFeature.MEMORY64,
            WasmFeature.GC, WasmFeature.SIMD, WasmFeature.RELAXED_SIMD);
    /** What the interpreter executes: {@link #WITH_SIMD}, tail calls, typed function references, exceptions, several and 64-bit memories and tables, GC. */
    public static final Set<WasmFeature> INTERPRETED = EnumSet.of(WasmFeature.BASE, WasmFeature.EXTENDED_CONST,
            WasmFeature.SIMD, WasmFeature.RELAXED_SIMD,
            WasmFeature.TAIL_CALL, WasmFeature.FUNCTION_REFERENCES, WasmFeature.EXCEPTIONS, WasmFeature.LEGACY_EXCEPTIONS,
            WasmFeature.MULTI_MEMORY, WasmFeature.MEMORY64, WasmFeature.GC);

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
        if (tier != Tier.NATIVE) return INTERPRETED;
        return Backends.host().compilesSimd() ? WITH_SIMD : EXECUTED;
    }

    @Override
    public Store newStore() {
        return new Store().tier(tier);
    }
}
