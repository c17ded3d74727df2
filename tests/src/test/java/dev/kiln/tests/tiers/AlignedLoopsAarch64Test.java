package dev.kiln.tests.tiers;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link AlignedLoopsTest} in an AArch64 JVM (the aarch64 suite; under QEMU on x86-64 hosts): loops entered through A64 padding. */
@Tag("aarch64")
class AlignedLoopsAarch64Test extends AlignedLoopsTest {
    @BeforeAll
    static void onAarch64() {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
    }
}
