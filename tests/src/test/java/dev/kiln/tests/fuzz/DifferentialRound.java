package dev.kiln.tests.fuzz;

import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.KilnTiers;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.FuzzCases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One round of the long differential run, in a JVM of its own ({@link FuzzRound}, started by
 * {@link DifferentialFuzzTest}): the property of {@link DifferentialProperties} with larger modules,
 * for {@code -Dkiln.fuzz.minutes} or {@code -Dkiln.fuzz.tries} with the seed
 * {@code -Dkiln.fuzz.seed} ({@link FuzzDuration}). The wasmtime oracle is required. The class
 * name keeps surefire from running it directly.
 */
public class DifferentialRound {
    private static WasmtimeOracle oracle;
    private static DifferentialCheck check;

    @BeforeContainer
    static void start() {
        oracle = WasmtimeOracle.startOrNull();
        if (oracle == null) fail("the fuzz run needs the wasmtime oracle (-Dkiln.wasmtime.python, or tests/.venv; ./run-tests makes one)");
        List<Engine> engines = new ArrayList<>();
        engines.add(oracle.engine());
        engines.addAll(KilnTiers.all());
        check = new DifferentialCheck(engines);
    }

    @AfterContainer
    static void stop() {
        if (check != null) {
            System.out.println("fuzz: " + check.engineNames() + ": " + check.stats());
            System.out.println(FuzzRound.STATS_PREFIX + check.stats().modules());
            Findings.saveLast(check, "DifferentialFuzz round, seed " + System.getProperty("kiln.fuzz.seed"));
        }
        if (oracle != null) oracle.close();
    }

    /**
     * A third of the modules use SIMD too (when the host's backend compiles it; else the interpreter would run them
     * alone), a third throw and catch exceptions; with {@code -Dkiln.fuzz.simdOnly=true} (KILN_FUZZ_SIMD_ONLY=1 for
     * ./run-tests fuzz) every module uses SIMD, with {@code -Dkiln.fuzz.exceptionsOnly=true} (KILN_FUZZ_EXCEPTIONS_ONLY=1)
     * every module throws and catches (half of them with v128 payloads, where SIMD is compiled).
     */
    @Provide
    Arbitrary<FuzzCase> cases() {
        boolean simd = Backends.host() != null && Backends.host().compilesSimd();
        if (Boolean.getBoolean("kiln.fuzz.exceptionsOnly")) {
            return simd ? Arbitraries.oneOf(FuzzCases.withExceptions(8, 200, 900, false), FuzzCases.withExceptions(8, 200, 900, true))
                    : FuzzCases.withExceptions(8, 200, 900, false);
        }
        if (!simd) return Arbitraries.oneOf(FuzzCases.of(8, 200, 900), FuzzCases.withExceptions(8, 200, 900, false));
        if (Boolean.getBoolean("kiln.fuzz.simdOnly")) return FuzzCases.withSimd(8, 200, 900);
        return Arbitraries.oneOf(FuzzCases.of(8, 200, 900), FuzzCases.withSimd(8, 200, 900), FuzzCases.withExceptions(8, 200, 900, true));
    }

    @Property(shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(FuzzDuration.class)
    void everyTierAgreesForAWhile(@ForAll("cases") FuzzCase c) {
        String disagreement = check.run(c);
        if (disagreement != null) {
            Findings.remember(c, disagreement);
            fail(disagreement);
        }
    }
}
