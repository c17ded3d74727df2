package dev.kiln.tests.fuzz;

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

import java.util.List;

/**
 * Generated modules with v128 code (every SIMD instruction on values, relaxed SIMD included, every
 * v128 load and store) on the interpreter against wasmtime, fixed seed. The native tiers join once
 * the backends lower SIMD.
 */
@Tag("differential")
class SimdDifferentialProperties {
    private static DifferentialSession session;

    @BeforeContainer
    static void start() {
        session = DifferentialSession.start(List.of(KilnEngine.interpreter()), "differential (SIMD)",
                "SimdDifferentialProperties (seed 20261206)");
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
    void theInterpreterAgreesWithWasmtime(@ForAll("cases") FuzzCase c) {
        session.check(c);
    }
}
