package dev.kiln.tests.tiers;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link CrossTierTest} in an AArch64 JVM: the interpreter against native AArch64 code. Runs with the
 * AArch64 suite ({@code ./run-tests aarch64}, which forks the JVM under QEMU on x86-64 hosts).
 */
@Tag("aarch64")
class CrossTierAarch64Test extends CrossTierTest {
    @BeforeAll
    static void onAarch64() {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
    }
}
