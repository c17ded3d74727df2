package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.KilnTiers;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
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

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cross-tier differential testing with generated modules (the bounded run CI makes, fixed seed):
 * every kiln tier ({@link KilnTiers}) and wasmtime run the same calls and must observe the same
 * results, traps, globals and memory. A failure shrinks to a small module, printed as text with
 * its calls; save it under {@code fuzz-regressions/} ({@link FuzzRegressionTest}).
 */
@Tag("differential")
class DifferentialProperties {
    private static WasmtimeOracle oracle;
    private static DifferentialCheck check;

    @BeforeContainer
    static void start() {
        oracle = WasmtimeOracle.startOrNull();
        if (oracle == null && WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
        List<Engine> engines = new ArrayList<>();
        if (oracle != null) engines.add(oracle.engine());
        engines.addAll(KilnTiers.all());
        check = new DifferentialCheck(engines);
    }

    @AfterContainer
    static void stop() {
        System.out.println("differential: " + check.engineNames() + ": " + check.stats());
        if (check != null) Findings.saveLast(check, "DifferentialProperties (seed 20260601)");
        KilnEngine.restoreTierUpDefaults();
        if (oracle != null) oracle.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(5, 100, 120);
    }

    @Property(tries = 1500, seed = "20260601", shrinking = ShrinkingMode.FULL)
    void everyTierAgrees(@ForAll("cases") FuzzCase c) {
        String disagreement = check.run(c);
        if (disagreement != null) {
            Findings.remember(c, disagreement);
            fail(disagreement);
        }
    }
}
