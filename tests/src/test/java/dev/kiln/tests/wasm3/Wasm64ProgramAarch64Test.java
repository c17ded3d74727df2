package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Wasm64ProgramTest} in the AArch64 JVM of the {@code aarch64} suite (under QEMU on x86-64 hosts; clang and
 * wasmtime are the host's, started from it): the wasm64 C program grows its memory to 5 GiB and uses addresses above
 * 2^32 as AArch64 native code and on the auto tier, and returns what wasmtime returns.
 */
@Tag("aarch64")
class Wasm64ProgramAarch64Test extends Wasm64ProgramTest {
    @BeforeAll
    static void onAarch64() {
        assertEquals(Target.AARCH64, Target.host(), "Wasm64ProgramAarch64Test runs in an AArch64 JVM (./run-tests aarch64)");
    }
}
