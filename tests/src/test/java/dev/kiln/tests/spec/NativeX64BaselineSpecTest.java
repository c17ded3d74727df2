package dev.kiln.tests.spec;

import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The scripts that exercise clz, ctz, popcnt and float rounding on x86-64 code compiled for the
 * baseline level (SSE2, no POPCNT, LZCNT, BMI1 or SSE4.1): the fallback sequences run here, on a
 * CPU that also has the extensions, and must give the same results.
 */
@Tag("spec")
class NativeX64BaselineSpecTest {
    private static final Set<String> SCRIPTS = Set.of("i32", "i64", "f32", "f64", "float_exprs", "float_misc", "int_exprs",
            "conversions");

    @TestFactory
    Stream<DynamicNode> x86_64Baseline() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "runs on x86-64 hosts");
        return SpecSuite.tests(new NativeX64Tier(CpuFeatures.X86_64), SCRIPTS::contains);
    }
}
