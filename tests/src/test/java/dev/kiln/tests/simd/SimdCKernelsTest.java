package dev.kiln.tests.simd;

import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.EngineState;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.wasm.NumType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD kernels of {@code bench/simd.sh} ({@code bench/simd/*.c}: SAD, blur, YUV to RGBA, sgemm,
 * byte search, XXH3), compiled at test time as the benchmark compiles them ({@code clang
 * --target=wasm32-wasi -O2 -msimd128}: intrinsics and clang-vectorised loops), each run once
 * ({@code run(1)}) on kiln's tiers and on wasmtime: the returned checksum and the whole linear memory
 * afterwards (its SHA-256) must be the same. Host tiers here ({@code ./run-tests differential});
 * {@link SimdCKernelsAarch64Test} runs the AArch64 (NEON) code.
 */
@Tag("differential")
class SimdCKernelsTest {
    /** The flags of bench/simd.sh for the {@code _simd} builds. */
    static final List<String> CLANG = List.of("clang", "--target=wasm32-wasi", "-O2", "-msimd128", "-fno-builtin",
            "-nostdlib", "-Wl,--no-entry");
    private static final List<NumType> I32 = List.of(NumType.I32);
    private static WasmtimeOracle oracle;

    @BeforeAll
    static void startOracle() {
        oracle = WasmtimeOracle.startOrNull();
        assertNotNull(oracle, "SimdCKernelsTest compares with wasmtime: it needs a Python with the wasmtime package "
                + "(-Dkiln.wasmtime.python, or tests/.venv as ./run-tests makes it)");
    }

    @AfterAll
    static void stopOracle() {
        if (oracle != null) oracle.close();
    }

    /** The kiln engines the kernels run on. */
    List<KilnEngine> engines() {
        return List.of(KilnEngine.interpreter(), KilnEngine.nativeHost(), KilnEngine.auto(1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sad", "blur", "yuv", "sgemm", "bytecount", "hash"})
    void kernelAgreesWithWasmtime(String kernel) throws Exception {
        byte[] wasm = compile(kernel);
        Run expected = run(oracle.engine(), wasm);
        assertNull(expected.outcome.failure(), "wasmtime: " + expected.outcome);
        assertNull(expected.outcome.trap(), "wasmtime: " + expected.outcome);
        assertTrue(expected.state.memorySize() > 0, "wasmtime: " + expected.state);
        for (KilnEngine e : engines()) {
            Run got = run(e, wasm);
            assertTrue(got.outcome.agrees(expected.outcome),
                    kernel + "_simd run(1) on " + e.name() + ": " + got.outcome + ", wasmtime " + expected.outcome);
            assertEquals(expected.state, got.state, kernel + "_simd memory after run(1) on " + e.name());
        }
    }

    private record Run(Outcome outcome, EngineState state) {
    }

    private static Run run(Engine engine, byte[] wasm) {
        try (engine) {
            String err = engine.instantiate(wasm);
            if (err != null) return new Run(Outcome.failed("instantiate: " + err), EngineState.failed(err));
            Outcome o = engine.call("run", I32, I32, new long[] {1});
            return new Run(o, engine.state(List.of(), "memory"));
        }
    }

    /** {@code bench/simd/NAME.c} compiled with {@link #CLANG} into target/simd-kernels/NAME_simd.wasm. */
    static byte[] compile(String kernel) throws IOException, InterruptedException {
        Path src = Path.of("..", "bench", "simd", kernel + ".c").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(src), "the benchmark's kernel source is missing: " + src);
        Path out = Path.of("target", "simd-kernels").toAbsolutePath();
        Files.createDirectories(out);
        Path wasm = out.resolve(kernel + "_simd.wasm");
        List<String> cmd = new ArrayList<>(CLANG);
        cmd.addAll(List.of("-o", wasm.toString(), src.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("clang not found: the SIMD kernels are compiled at test time with Debian's clang and lld "
                    + "(./run-tests installs them): " + e.getMessage());
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed (it needs Debian's clang and lld, which ./run-tests installs):\n" + log);
        }
        return Files.readAllBytes(wasm);
    }
}
