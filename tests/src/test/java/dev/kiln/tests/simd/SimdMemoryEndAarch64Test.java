package dev.kiln.tests.simd;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link SimdMemoryEndTest} in an AArch64 JVM (the aarch64 suite; under QEMU on x86-64 hosts): the native tier is NEON code there. */
@Tag("aarch64")
class SimdMemoryEndAarch64Test extends SimdMemoryEndTest {
    @BeforeAll
    static void onAarch64() {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
    }
}
