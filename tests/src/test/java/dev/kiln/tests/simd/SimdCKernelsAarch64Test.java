package dev.kiln.tests.simd;

import dev.kiln.ir.code.Target;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SimdCKernelsTest} in the AArch64 JVM of the {@code aarch64} suite (under QEMU on x86-64
 * hosts; clang and wasmtime are the host's, started from it): the {@code -msimd128} kernels of
 * bench/simd.sh as NEON code, compiled before they run and entered by OSR on the auto tier, against
 * wasmtime. The interpreter is left to the host run (it is the same Java code on both ISAs).
 */
@Tag("aarch64")
class SimdCKernelsAarch64Test extends SimdCKernelsTest {
    @BeforeAll
    static void onAarch64() {
        assertEquals(Target.AARCH64, Target.host(), "SimdCKernelsAarch64Test runs in an AArch64 JVM (./run-tests aarch64)");
    }

    @Override
    List<KilnEngine> engines() {
        return List.of(KilnEngine.nativeHost(), KilnEngine.auto(1, 1));
    }
}
