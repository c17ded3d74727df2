package dev.kiln.ir.code;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What machine code may assume about the CPU it runs on: a {@link Target} and a level of
 * instruction-set extensions. kiln compiles for named levels only, so cache keys stay few and code
 * made for a level runs on every CPU that has at least its features:
 * <ul>
 *   <li>{@code x86_64}: the x86-64 baseline (SSE2); {@code popcnt}, {@code lzcnt}, {@code tzcnt}
 *       and SSE4.1 rounding get fallbacks; no SIMD code (it needs SSE4.1);</li>
 *   <li>{@code x86_64-v2}: + SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT (the psABI's x86-64-v2):
 *       SIMD with SSE encodings;</li>
 *   <li>{@code x86_64-v3}: + AVX, AVX2, BMI1, BMI2, LZCNT, FMA (x86-64-v3): SIMD with VEX
 *       (three-operand) encodings and AVX2 broadcasts;</li>
 *   <li>{@code aarch64}: Armv8-A with NEON (every AArch64 CPU kiln runs on).</li>
 * </ul>
 */
public record CpuFeatures(String name, Target target, Set<CpuFeature> features) {
    public static final CpuFeatures X86_64 = new CpuFeatures("x86_64", Target.X86_64, EnumSet.noneOf(CpuFeature.class));
    public static final CpuFeatures X86_64_V2 = new CpuFeatures("x86_64-v2", Target.X86_64, EnumSet.of(CpuFeature.SSE3,
            CpuFeature.SSSE3, CpuFeature.SSE4_1, CpuFeature.SSE4_2, CpuFeature.POPCNT));
    public static final CpuFeatures X86_64_V3 = new CpuFeatures("x86_64-v3", Target.X86_64, union(X86_64_V2.features,
            EnumSet.of(CpuFeature.AVX, CpuFeature.AVX2, CpuFeature.BMI1, CpuFeature.BMI2, CpuFeature.LZCNT, CpuFeature.FMA)));
    public static final CpuFeatures AARCH64 = new CpuFeatures("aarch64", Target.AARCH64, EnumSet.noneOf(CpuFeature.class));

    /** Every level, lowest first for each target. */
    public static final List<CpuFeatures> LEVELS = List.of(X86_64, X86_64_V2, X86_64_V3, AARCH64);

    public CpuFeatures {
        features = Collections.unmodifiableSet(features.isEmpty() ? EnumSet.noneOf(CpuFeature.class) : EnumSet.copyOf(features));
    }

    private static Set<CpuFeature> union(Set<CpuFeature> a, Set<CpuFeature> b) {
        EnumSet<CpuFeature> s = EnumSet.noneOf(CpuFeature.class);
        s.addAll(a);
        s.addAll(b);
        return s;
    }

    public boolean has(CpuFeature f) {
        return features.contains(f);
    }

    /** True when code for {@code other} runs wherever code for this level runs (same target, no more features). */
    public boolean includes(CpuFeatures other) {
        return target == other.target && features.containsAll(other.features);
    }

    /** The levels of {@code target}, lowest first. */
    public static List<CpuFeatures> levels(Target target) {
        return LEVELS.stream().filter(l -> l.target == target).toList();
    }

    /** The highest level of {@code target} whose features are all in {@code available}. */
    public static CpuFeatures best(Target target, Set<CpuFeature> available) {
        CpuFeatures best = null;
        for (CpuFeatures l : levels(target)) if (available.containsAll(l.features)) best = l;
        return best;
    }

    /** The level a target name stands for: a level name, or an architecture (its lowest level). */
    public static CpuFeatures parse(String s) {
        String n = s.toLowerCase(Locale.ROOT).replace("x86-64", "x86_64");
        for (CpuFeatures l : LEVELS) if (l.name.equals(n)) return l;
        try {
            return levels(Target.parse(n)).get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target '" + s + "' (x86_64, x86_64-v2, x86_64-v3 or aarch64)");
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // written out: a record's generated equals and hashCode link through invokedynamic on first use, which
    // spins method-handle classes in every process that looks a level up (a cache hit does, before its first
    // instruction)
    @Override
    public boolean equals(Object o) {
        return o instanceof CpuFeatures c && name.equals(c.name) && target == c.target && features.equals(c.features);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + target.hashCode()) * 31 + features.hashCode();
    }
}
