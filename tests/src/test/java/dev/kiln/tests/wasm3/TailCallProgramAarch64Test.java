package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TailCallProgramTest} in the AArch64 JVM of the {@code aarch64} suite (under QEMU on x86-64 hosts; clang and
 * wasmtime are the host's, started from it): the C program's return_call and return_call_indirect chains (10^7 deep)
 * run in constant stack on a 256 KiB thread as AArch64 native code, in the interpreter and on the auto tier, and
 * print what wasmtime prints.
 */
@Tag("aarch64")
class TailCallProgramAarch64Test extends TailCallProgramTest {
    @BeforeAll
    static void onAarch64() {
        assertEquals(Target.AARCH64, Target.host(), "TailCallProgramAarch64Test runs in an AArch64 JVM (./run-tests aarch64)");
    }
}
