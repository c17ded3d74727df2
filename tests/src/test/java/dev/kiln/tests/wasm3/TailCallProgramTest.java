package dev.kiln.tests.wasm3;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmReader;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.wasi.Wasi;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A C program built with Debian's {@code clang --target=wasm32-wasi -O2 -mtail-call} and wasi-libc
 * ({@code resources/tailcall/threaded.c}) whose {@code musttail} returns become {@code return_call} (is_even/is_odd
 * 10 000 001 and 10 000 002 steps deep, a three-function Collatz walk) and {@code return_call_indirect} (a
 * threaded-code interpreter whose handlers dispatch through a function-pointer table, 11 000 167 dispatches) prints
 * on every tier what it prints under wasmtime. It runs on a thread with a 256 KiB stack, so a tier that used stack
 * per tail call would exhaust it (a trap, exit status 134) instead of printing the checksums.
 */
class TailCallProgramTest {
    /** is_even's depth and the interpreter's loop count (the program's arguments). */
    private static final List<String> ARGS = List.of("10000001", "2000000");
    private static final long SMALL_STACK = 256 * 1024;
    private static byte[] program;

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("threaded.c");
        try (InputStream in = TailCallProgramTest.class.getResourceAsStream("/tailcall/threaded.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path wasm = dir.resolve("threaded.wasm");
        List<String> cmd = List.of("clang", "--target=wasm32-wasi", "-O2", "-mtail-call", "-o", wasm.toString(), source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (needs Debian's clang, lld, wasi-libc and "
                    + "libclang-rt-14-dev-wasm32, which ./run-tests installs):\n" + log);
        }
        program = Files.readAllBytes(wasm);
    }

    private static String wasmtimeOutput;

    private static synchronized String wasmtime() {
        if (wasmtimeOutput != null) return wasmtimeOutput;
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            assumeTrue(oracle != null || WasmtimeOracle.required(), "no wasmtime oracle");
            assertNotNull(oracle, "the wasmtime oracle is required");
            WasmtimeOracle.WasiRun run = oracle.runWasi(program, ARGS);
            assertNull(run.trap(), "wasmtime trapped");
            assertEquals(0, run.exitCode());
            wasmtimeOutput = new String(run.stdout(), StandardCharsets.UTF_8);
        }
        return wasmtimeOutput;
    }

    @Test
    void clangEmitsReturnCallAndReturnCallIndirect() {
        Map<Opcode, Integer> counts = new EnumMap<>(Opcode.class);
        for (FunctionBody body : Decoder.decode(program).functionBodies()) {
            InstructionReader r = new InstructionReader(new WasmReader(program, body.codeStart(), body.codeEnd()));
            while (!r.atEnd()) counts.merge(r.next(), 1, Integer::sum);
        }
        // is_even, is_odd, collatz_step (twice), collatz_even, collatz_odd
        assertTrue(counts.getOrDefault(Opcode.RETURN_CALL, 0) >= 6, counts.toString());
        // the six handlers that dispatch to the next one
        assertTrue(counts.getOrDefault(Opcode.RETURN_CALL_INDIRECT, 0) >= 6, counts.toString());
    }

    @Test
    void wasmtimePrintsTheChecksums() {
        assertEquals("""
                is_even(10000001) = 0
                is_odd(10000002) = 0
                collatz checksum d946f03af8bcd119
                vm dispatched 11000167
                vm checksum 133695ccf475aa07
                """, wasmtime());
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void printsWhatWasmtimePrintsOnASmallStack(Tier tier) throws InterruptedException {
        String expected = wasmtime();
        Engine engine = Engine.builder().tier(tier).build();
        WasmModule module = engine.compile(program);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(Wasi.builder().engine(engine).args(ARGS.toArray(String[]::new)).stdout(out).run(module));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "tail-call-program-" + tier, SMALL_STACK);
        t.start();
        t.join();
        if (result.get() instanceof Throwable e) throw new AssertionError("the program failed on " + tier, e);
        assertEquals(0, result.get(), () -> "exit status; output:\n" + out.toString(StandardCharsets.UTF_8));
        assertEquals(expected, out.toString(StandardCharsets.UTF_8));
    }
}
