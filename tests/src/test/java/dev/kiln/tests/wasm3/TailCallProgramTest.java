package dev.kiln.tests.wasm3;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmReader;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.frontend.text.WatPrinter;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.wasi.Wasi;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
 * per tail call would exhaust it instead of printing the checksums: the control rewrites every tail call as a call
 * and a return, and that program traps with "call stack exhausted" on every tier.
 */
class TailCallProgramTest {
    /** is_even's depth and the interpreter's loop count (the program's arguments). */
    private static final List<String> ARGS = List.of("10000001", "2000000");
    private static final long SMALL_STACK = 256 * 1024;
    private static byte[] program;

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException, InterruptedException {
        program = ClangProgram.build(dir, "/tailcall/threaded.c", List.of("--target=wasm32-wasi", "-O2", "-mtail-call"));
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object result = runOnASmallStack(tier, program, out);
        if (result instanceof Throwable e) throw new AssertionError("the program failed on " + tier, e);
        assertEquals(0, result, () -> "exit status; output:\n" + out.toString(StandardCharsets.UTF_8));
        assertEquals(expected, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The control: the same program with every {@code return_call*} turned into a {@code call*} and a {@code return}
     * (through kiln's text printer and parser) exhausts the guest stack on every tier, so the test above fails for a
     * tier that runs tail calls as plain calls.
     */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void asPlainCallsTheSameProgramExhaustsTheStack(Tier tier) throws InterruptedException {
        String text = WatPrinter.print(program).replaceAll("(?m)^(\\s*)return_(call\\S*)(.*)$", "$1$2$3\n$1return");
        assertFalse(text.contains("return_call"));
        byte[] plainCalls = WatParser.parse(text, "threaded-plain-calls.wat").binary();
        Object result = runOnASmallStack(tier, plainCalls, new ByteArrayOutputStream());
        WasmTrap trap = assertInstanceOf(WasmTrap.class, result);
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
    }

    /** What {@code Wasi.run} returned on a thread with a 256 KiB stack: the exit status, or what it threw. */
    private Object runOnASmallStack(Tier tier, byte[] wasm, ByteArrayOutputStream out) throws InterruptedException {
        Engine engine = Engine.builder().tier(tier).build();
        WasmModule module = engine.compile(wasm);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(Wasi.builder().engine(engine).args(ARGS).stdout(out).run(module));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "tail-call-program-" + tier, SMALL_STACK);
        t.start();
        t.join();
        return result.get();
    }
}
