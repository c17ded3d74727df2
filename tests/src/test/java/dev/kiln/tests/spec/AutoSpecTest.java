package dev.kiln.tests.spec;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The spec suite on the auto tier with --hot-calls 1 (tier-up mid-sequence). */
@Tag("spec")
class AutoSpecTest {
    @TestFactory
    Stream<DynamicNode> auto() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "native tier runs on x86-64 hosts");
        return SpecSuite.tests(new AutoTier(), SpecSuite.selected());
    }

    @AfterAll
    static void restoreThresholds() {
    }
}
