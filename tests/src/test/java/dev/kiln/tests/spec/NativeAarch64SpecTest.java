package dev.kiln.tests.spec;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The spec suite on the AArch64 native tier (every function compiled before running). It runs in
 * an AArch64 JVM: on x86-64 hosts, {@code ./run-tests aarch64} (the Maven profile {@code aarch64})
 * forks one under {@code qemu-aarch64-static}. The SIMD scripts are long under emulation: they run
 * in {@link NativeAarch64SimdSpecTest} ({@code ./run-tests aarch64-simd}), not here.
 */
@Tag("aarch64")
class NativeAarch64SpecTest {
    @TestFactory
    Stream<DynamicNode> aarch64() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs on AArch64 hosts (or an AArch64 JVM under QEMU)");
        return SpecSuite.tests(new NativeAarch64Tier(), SpecSuite.selected().and(name -> !SpecSuite.isSimdScript(name)));
    }
}
