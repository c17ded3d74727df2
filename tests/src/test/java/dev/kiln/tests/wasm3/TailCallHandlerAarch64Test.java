package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link TailCallHandlerTest} in an AArch64 JVM (the aarch64 suite; under QEMU on x86-64 hosts). */
@Tag("aarch64")
class TailCallHandlerAarch64Test extends TailCallHandlerTest {
    @BeforeAll
    static void onAarch64() {
        Assumptions.assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
    }
}
