package dev.kiln.tests.pipeline;

import dev.kiln.ir.code.CompileBudget;
import dev.kiln.ir.code.FunctionTooLargeException;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.wasi.KilnProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler's memory per function is bounded ({@link CompileBudget}): a function whose body needs
 * more than the budget is not compiled — the auto tier keeps interpreting it, the native tier and
 * {@code kiln compile} fail with an error naming the function, its size and the budget — instead of
 * the JVM running out of heap.
 */
class CompileBudgetTest {
    /** A straight-line body of 25 000 additions: 75 003 bytes, an estimate of about 2.3 MiB. */
    static final byte[] MEDIUM = HostileModules.STRAIGHT_LINE.of(25_000);
    static final long SMALL_BUDGET = 1 << 20;

    @Test
    void theAutoTierKeepsAFunctionOverTheBudgetInterpreted() {
        Engine engine = Engine.builder().tier(Tier.AUTO).hotCalls(1).compileInBackground(false).precompiledCode(null)
                .compileBudget(SMALL_BUDGET).build();
        WasmModule m = engine.compile(MEDIUM);
        try (Store s = engine.newStore()) {
            Instance i = s.instantiate(m, new Imports());
            for (int call = 0; call < 5; call++) assertArrayEquals(new long[] {25_001 * 3}, i.function("run").call(3));
            TierReport r = TierReport.of(m, s, 1);
            assertEquals(0, r.promoted(), r.text());
            assertTrue(r.notCompiled() > 0, r.text());
        }
    }

    @Test
    void theNativeTierFailsWithAnErrorNamingTheFunctionItsSizeAndTheBudget() {
        Engine engine = Engine.builder().tier(Tier.NATIVE).precompiledCode(null).compileBudget(SMALL_BUDGET).build();
        FunctionTooLargeException e = assertThrows(FunctionTooLargeException.class, () -> {
            WasmModule m = engine.compile(MEDIUM);
            try (Store s = engine.newStore()) {
                s.instantiate(m, new Imports());
            }
        });
        assertEquals("run", e.function());
        assertEquals(75_003, e.bodyBytes());
        assertTrue(e.getMessage().contains("run") && e.getMessage().contains("75003 bytes") && e.getMessage().contains("1 MiB"), e.getMessage());
        Engine precompiling = Engine.builder().tier(Tier.INTERP).precompiledCode(null).compileBudget(SMALL_BUDGET).build();
        assertThrows(FunctionTooLargeException.class, () -> precompiling.precompile(precompiling.compile(MEDIUM), CodeTarget.host().orElseThrow()));
    }

    @Test
    void aFunctionWithinTheBudgetCompiles() {
        Engine engine = Engine.builder().tier(Tier.NATIVE).precompiledCode(null)
                .compileBudget(CompileBudget.estimate(75_003)).build();
        try (Store s = engine.newStore()) {
            assertArrayEquals(new long[] {25_001 * 3}, s.instantiate(engine.compile(MEDIUM), new Imports()).function("run").call(3));
        }
    }

    /**
     * The 7.65 MB straight-line body of issue 12 in a JVM of 256 MiB: it used to end in
     * OutOfMemoryError ("internal error"); now {@code kiln compile} and the native tier say the
     * function is over the budget (half the heap by default), and raising the budget is possible.
     */
    @Test
    void aHugeBodyInASmallHeapGivesTheClearErrorNotOutOfMemory(@TempDir Path dir) throws Exception {
        Path wasm = dir.resolve("straight.wasm");
        Files.write(wasm, HostileModules.STRAIGHT_LINE.of(2_550_000));
        List<String> heap = List.of("-Xmx256m");
        for (List<String> args : List.of(List.of("compile", "-o", dir.resolve("straight.o").toString(), wasm.toString()),
                List.of("run", "--tier", "native", "--invoke", "run", wasm.toString(), "3"))) {
            KilnProcess.Result r = KilnProcess.run(KilnProcess.javaCommand(heap, args), null, Duration.ofMinutes(5), null);
            String err = r.stderrText();
            assertEquals(1, r.exit(), args + ": " + err);
            assertTrue(err.contains("function run is too large to compile: its body is 7650003 bytes") && err.contains("compile budget of"),
                    args + ": " + err);
            assertFalse(err.contains("OutOfMemoryError") || err.contains("\tat "), args + ": " + err);
            assertFalse(Files.exists(dir.resolve("straight.o")));
        }
    }

    /**
     * The compiler's memory per function (issue 12 item 5): the same 7.65 MB body, with a budget that
     * lets it compile, compiles in a JVM of 256 MiB. It needed more than 364 MB of live heap (-Xmx between
     * 400 and 512 MiB) before the IR kept one- and two-value operand lists and single results inline,
     * value types as two-byte codes, and the passes and the allocator stopped keeping an array per value
     * they do not need, about 225 MB (about 30 bytes per body byte); with the 48-byte Instruction it compiles at -Xmx208m. A regression of the compiler's
     * memory on long bodies makes this compile end in OutOfMemoryError (exit 3).
     */
    @Test
    void theHugeBodyCompilesInA256MiBHeap(@TempDir Path dir) throws Exception {
        Path wasm = dir.resolve("straight.wasm"), object = dir.resolve("straight.o");
        Files.write(wasm, HostileModules.STRAIGHT_LINE.of(2_550_000));
        List<String> args = List.of("compile", "--compile-budget", Long.toString(1L << 30), "-o", object.toString(), wasm.toString());
        KilnProcess.Result r = KilnProcess.run(KilnProcess.javaCommand(List.of("-Xmx256m"), args), null, Duration.ofMinutes(10), null);
        assertEquals(0, r.exit(), r.stderrText());
        assertTrue(Files.size(object) > 7_650_000, "object of " + Files.size(object) + " bytes");
    }
}
