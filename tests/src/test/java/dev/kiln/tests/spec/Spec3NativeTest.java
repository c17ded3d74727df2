package dev.kiln.tests.spec;

import dev.kiln.ir.code.Target;
import dev.kiln.runtime.TierUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * The 3.0 scripts on the native tiers. {@code auto} runs what the interpreter runs (functions the
 * backends decline, such as tail calls and call_ref, stay interpreted); {@code x86_64} runs the
 * scripts whose functions the backend compiles whole (extended constants, typed references without
 * call_ref, non-nullable locals).
 */
@Tag("spec")
class Spec3NativeTest {
    static final List<String> X86_64 = List.of("local_init", "ref",
            "global", "data", "elem");

    @TestFactory
    Stream<DynamicTest> auto() {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "native tier runs on x86-64 hosts");
        return Spec3Suite.tests(new AutoTier(), Spec3InterpTest.RUNS);
    }

    @TestFactory
    Stream<DynamicTest> x86_64() {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "runs on x86-64 hosts");
        return Spec3Suite.tests(new NativeX64Tier(), X86_64);
    }

    @AfterAll
    static void restoreThresholds() {
        TierUp.configure(TierUp.DEFAULT_HOT_CALLS, TierUp.DEFAULT_HOT_LOOPS, false);
    }
}
