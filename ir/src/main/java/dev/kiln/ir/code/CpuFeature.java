package dev.kiln.ir.code;

/**
 * An optional instruction-set extension a backend may use when the CPU has it. The x86-64
 * baseline (SSE2) needs none of them; the levels of {@link CpuFeatures} bundle them.
 */
public enum CpuFeature {
    SSE3("sse3"),
    SSSE3("ssse3"),
    SSE4_1("sse4.1"),
    SSE4_2("sse4.2"),
    POPCNT("popcnt"),
    AVX("avx"),
    AVX2("avx2"),
    BMI1("bmi1"),
    BMI2("bmi2"),
    LZCNT("lzcnt"),
    FMA("fma");

    /** The name /proc/cpuinfo and compilers use. */
    public final String id;

    CpuFeature(String id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return id;
    }
}
