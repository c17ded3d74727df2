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
 * Generated modules that throw and catch, on every kiln tier ({@link KilnTiers}: the interpreter, native
 * code, the auto tier three ways with interpreted and native frames mixed, code from the cache) against
 * wasmtime, fixed seed: tags with payloads of every number type (v128 in the SIMD half), {@code throw}
 * and {@code throw_ref} of kept exnrefs (null ones trap), {@code try_table} with catch, catch_ref,
 * catch_all and catch_all_ref clauses (to enclosing blocks or to handlers that keep the exnref in a
 * local), across direct, indirect, reference and tail calls and recursion; an exception no handler
 * catches must leave the call in both engines with the same tag and payload.
 */
@Tag("differential")
class ExceptionDifferentialProperties {
    private static DifferentialSession session;

    @BeforeContainer
    static void start() {
        session = DifferentialSession.start(KilnTiers.all(), "differential (exceptions)", "ExceptionDifferentialProperties (seed 20261207)");
    }

    @AfterContainer
    static void stop() {
        if (session != null) session.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.withExceptions(5, 100, 120, false);
    }

    @Provide
    Arbitrary<FuzzCase> simdCases() {
        return FuzzCases.withExceptions(5, 100, 120, true);
    }

    @Property(tries = 400, seed = "20261207", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnExceptions(@ForAll("cases") FuzzCase c) {
        session.check(c);
    }

    @Property(tries = 100, seed = "20261209", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnExceptionsWithVectorPayloads(@ForAll("simdCases") FuzzCase c) {
        session.check(c);
    }
}
