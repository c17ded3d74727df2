package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CxxExceptionsProgramTest} in the AArch64 JVM of the {@code aarch64} suite (under QEMU on x86-64 hosts; clang is
 * the host's, started from it): the C++ program built with {@code -fwasm-exceptions} throws through recursion (once
 * 10 000 frames deep) and a function pointer as AArch64 native code and on the auto tier, and prints what it prints on x86-64.
 */
@Tag("aarch64")
class CxxExceptionsProgramAarch64Test extends CxxExceptionsProgramTest {
    @BeforeAll
    static void onAarch64() {
        assertEquals(Target.AARCH64, Target.host(), "CxxExceptionsProgramAarch64Test runs in an AArch64 JVM (./run-tests aarch64)");
    }
}
