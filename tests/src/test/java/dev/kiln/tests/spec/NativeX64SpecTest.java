package dev.kiln.tests.spec;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The spec suite on the x86-64 native tier (every function compiled before running). */
@Tag("spec")
class NativeX64SpecTest {
    @TestFactory
    Stream<DynamicNode> x86_64() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "runs on x86-64 hosts");
        return SpecSuite.tests(new NativeX64Tier(), SpecSuite.selected());
    }
}
