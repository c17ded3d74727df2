package dev.kiln.tests.fuzz;

import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.Backends;
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

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential check of {@link DifferentialProperties} in the AArch64 JVM of the
 * {@code aarch64} suite (under QEMU on x86-64 hosts): the interpreter, AArch64 native code, the
 * auto tier with everything promoted at once (OSR at the first back edge), AArch64 code read back
 * from the cache, and wasmtime (the x86-64 Python helper, started from the emulated JVM) must agree
 * on results, traps, uncaught exceptions, globals and memory, for modules without and with SIMD and with
 * exceptions. Fewer modules than on
 * the host: emulation is slow.
 */
@Tag("aarch64")
class DifferentialAarch64Properties {
    private static DifferentialSession session;

    @BeforeContainer
    static void start() {
        if (Backends.host() == null || Backends.host().target() != Target.AARCH64) {
            fail("DifferentialAarch64Properties runs in an AArch64 JVM (./run-tests aarch64)");
        }
        session = DifferentialSession.start(
                List.of(KilnEngine.interpreter(), KilnEngine.nativeHost(), KilnEngine.auto(1, 1), KilnEngine.cachedCode()),
                "differential (aarch64)", "DifferentialAarch64Properties (seed 20261122)");
    }

    @AfterContainer
    static void stop() {
        if (session != null) session.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(5, 100, 120);
    }

    @Property(tries = 300, seed = "20261122", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnAarch64(@ForAll("cases") FuzzCase c) {
        session.check(c);
    }

    @Provide
    Arbitrary<FuzzCase> simdCases() {
        return FuzzCases.withSimd(5, 100, 120);
    }

    /** A fixed-seed slice of the SIMD modules below, in CI's {@code aarch64} suite (NEON code, lane loads/stores at the memory end). */
    @Property(tries = 25, seed = "20261208", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnSimdSliceOnAarch64(@ForAll("simdCases") FuzzCase c) {
        session.check(c);
    }

    @Provide
    Arbitrary<FuzzCase> exceptionCases() {
        return FuzzCases.withExceptions(5, 100, 120, false);
    }

    /** A fixed-seed slice of modules that throw and catch (every try_table clause, throw_ref, uncaught exceptions compared). */
    @Property(tries = 40, seed = "20261209", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnExceptionsOnAarch64(@ForAll("exceptionCases") FuzzCase c) {
        session.check(c);
    }

    /** Modules with v128 code (every SIMD and relaxed SIMD instruction), on the same engines ({@code ./run-tests aarch64-simd}). */
    @Tag("aarch64-simd")
    @Property(tries = 150, seed = "20261207", shrinking = ShrinkingMode.FULL)
    void everyTierAgreesOnSimdOnAarch64(@ForAll("simdCases") FuzzCase c) {
        session.check(c);
    }
}
