package dev.kiln.tests.spec;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The SIMD scripts of both suites ({@code simd_*}, {@code relaxed_*}, {@code *_relaxed_*}) on the
 * AArch64 native tier (NEON), in an AArch64 JVM: {@code ./run-tests aarch64-simd} (under
 * {@code qemu-aarch64-static} on x86-64 hosts; too long under emulation for the default run, which
 * runs every other script in {@link NativeAarch64SpecTest}). Same floors as the other scripts.
 */
@Tag("aarch64-simd")
class NativeAarch64SimdSpecTest {
    @TestFactory
    Stream<DynamicNode> aarch64Simd() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs on AArch64 hosts (or an AArch64 JVM under QEMU)");
        return SpecSuite.tests(new NativeAarch64Tier(), SpecSuite.selected().and(SpecSuite::isSimdScript));
    }
}
