package dev.kiln.tests.fuzz;

import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.HostCpu;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.FuzzCases;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;

/**
 * Generated modules with v128 code (every SIMD instruction on values, relaxed SIMD included, every
 * v128 load and store, lane loads/stores and load_splat/load_zero/load_extend at addresses in and
 * out of bounds) against wasmtime, fixed seed, on every kiln tier of this machine: the
 * interpreter; native code for this machine's CPU level (VEX/AVX2 encodings on an AVX2 machine)
 * and, on x86-64, for x86_64-v2 (the SSE4.1 encodings and the sequences without AVX2); the auto
 * tier with OSR at the first back edge and with promotion part-way (mixed frames); and code read
 * back from the code cache. AArch64 NEON code runs the same generator in
 * {@link DifferentialAarch64Properties} ({@code ./run-tests aarch64-simd}, and a slice in
 * {@code ./run-tests aarch64}).
 */
@Tag("differential")
class SimdDifferentialProperties {
    private static DifferentialSession session;

    @BeforeContainer
    static void start() {
        session = DifferentialSession.start(engines(), "differential (SIMD)",
                "SimdDifferentialProperties (seed 20261206)");
    }

    /** The interpreter and, where this JVM has a native backend, every native and mixed tier, at each SIMD-capable CPU level. */
    static List<Engine> engines() {
        List<Engine> out = new ArrayList<>();
        out.add(KilnEngine.interpreter());
        if (Backends.host() == null) return out;
        out.add(KilnEngine.nativeHost());
        CpuFeatures host = HostCpu.level();
        if (host.includes(CpuFeatures.X86_64_V2) && !host.equals(CpuFeatures.X86_64_V2)) {
            out.add(KilnEngine.nativeAt(CpuFeatures.X86_64_V2));
            out.add(KilnEngine.autoAt(CpuFeatures.X86_64_V2, 2, 3));
        }
        out.add(KilnEngine.auto(1, 1));
        out.add(KilnEngine.auto(5, 2));
        out.add(KilnEngine.cachedCode());
        return out;
    }

    @AfterContainer
    static void stop() {
        if (session != null) session.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.withSimd(5, 100, 120);
    }

    @Property(tries = 1000, seed = "20261206", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesWithWasmtime(@ForAll("cases") FuzzCase c) {
        session.check(c);
    }
}
