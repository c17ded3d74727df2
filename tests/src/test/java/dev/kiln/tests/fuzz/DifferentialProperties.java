package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.KilnTiers;
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

/**
 * Cross-tier differential testing with generated modules (the bounded run CI makes, fixed seed):
 * every kiln tier ({@link KilnTiers}) and wasmtime run the same calls and must observe the same
 * results, traps, globals and memory. A failure shrinks to a small module, printed as text with
 * its calls; save it under {@code fuzz-regressions/} ({@link FuzzRegressionTest}).
 */
@Tag("differential")
class DifferentialProperties {
    private static DifferentialSession session;

    @BeforeContainer
    static void start() {
        session = DifferentialSession.start(KilnTiers.all(), "differential", "DifferentialProperties (seed 20260601)");
    }

    @AfterContainer
    static void stop() {
        if (session != null) session.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(5, 100, 120);
    }

    @Property(tries = 1500, seed = "20260601", shrinking = ShrinkingMode.FULL)
    void everyTierAgrees(@ForAll("cases") FuzzCase c) {
        session.check(c);
    }
}
