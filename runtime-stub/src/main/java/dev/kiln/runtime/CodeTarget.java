package dev.kiln.runtime;

import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.HostCpu;

import java.util.List;
import java.util.Optional;

/**
 * What native code is compiled for: an instruction-set architecture at a CPU level —
 * {@code x86_64} (every x86-64 machine), {@code x86_64-v2}, {@code x86_64-v3} (AVX2 machines) or
 * {@code aarch64}. Precompiled objects record their level, and code is only ever bound on a
 * machine that has that level (code for a lower level of the same architecture runs on a higher one).
 */
public final class CodeTarget {
    /** x86-64 code that runs on every x86-64 machine. */
    public static final CodeTarget X86_64 = new CodeTarget(CpuFeatures.X86_64);
    /** x86-64 code for machines with SSE3, SSSE3, SSE4.1/4.2 and POPCNT. */
    public static final CodeTarget X86_64_V2 = new CodeTarget(CpuFeatures.X86_64_V2);
    /** x86-64 code for machines with AVX, AVX2, BMI1/2, LZCNT and MOVBE as well. */
    public static final CodeTarget X86_64_V3 = new CodeTarget(CpuFeatures.X86_64_V3);
    /** AArch64 code. */
    public static final CodeTarget AARCH64 = new CodeTarget(CpuFeatures.AARCH64);
    private static final List<CodeTarget> LEVELS = List.of(X86_64, X86_64_V2, X86_64_V3, AARCH64);

    private final CpuFeatures cpu;

    private CodeTarget(CpuFeatures cpu) {
        this.cpu = cpu;
    }

    static CodeTarget of(CpuFeatures cpu) {
        for (CodeTarget t : LEVELS) if (t.cpu.equals(cpu)) return t;
        throw new IllegalArgumentException("no target " + cpu);
    }

    /** The lowest level of each architecture: code that runs on every machine of it ({@code x86_64}, {@code aarch64}). */
    public static List<CodeTarget> all() {
        return List.of(X86_64, AARCH64);
    }

    /** Every level kiln compiles for, lowest first per architecture. */
    public static List<CodeTarget> levels() {
        return LEVELS;
    }

    /** The machine this JVM runs on (its CPU's level), when kiln has a backend for it. */
    public static Optional<CodeTarget> host() {
        CpuFeatures level = HostCpu.level();
        return level == null ? Optional.empty() : Optional.of(of(level));
    }

    /**
     * Parses a level ({@code x86_64-v2}) or an architecture, which stands for its lowest level
     * ({@code x86_64}, {@code aarch64}; aliases amd64, x64, arm64).
     */
    public static CodeTarget parse(String name) {
        return of(CpuFeatures.parse(name));
    }

    Target target() {
        return cpu.target();
    }

    CpuFeatures cpu() {
        return cpu;
    }

    /** The lowest level of this target's architecture ({@link #X86_64} or {@link #AARCH64}). */
    public CodeTarget baseline() {
        return of(CpuFeatures.levels(cpu.target()).get(0));
    }

    /** Whether code compiled for {@code other} runs on a machine of this level. */
    public boolean runs(CodeTarget other) {
        return cpu.includes(other.cpu);
    }

    /** {@code x86_64}, {@code x86_64-v2}, {@code x86_64-v3} or {@code aarch64}: the name the CLI and cache keys use. */
    public String name() {
        return cpu.name();
    }

    @Override
    public String toString() {
        return name();
    }
}
