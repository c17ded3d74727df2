package dev.kiln.tests.fuzz;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link MemoryDifferentialTest} in an AArch64 JVM (the aarch64 suite; under QEMU on x86-64 hosts):
 * the native tiers are AArch64 code there, checked against wasmtime.
 */
@Tag("aarch64")
class MemoryDifferentialAarch64Test extends MemoryDifferentialTest {
    @BeforeAll
    static void onAarch64() {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
    }
}
