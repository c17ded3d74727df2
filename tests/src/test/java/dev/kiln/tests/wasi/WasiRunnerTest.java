package dev.kiln.tests.wasi;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.wasi.Wasi;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kiln.runtime.ValueType.I32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Wasi#builder()}: a WASI program run from Java in two lines, with arguments, environment,
 * a preopened directory, redirected standard streams and its exit code, on every tier there is.
 */
class WasiRunnerTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path CAT = REPO.resolve("examples/cat.wasm");

    /** Exits with 16 * (environment variables) + argc, after calling env.seen once. */
    private static final String COUNTS_WAT = """
            (module
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (import "env" "seen" (func $seen (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (drop (call $env (i32.const 0) (i32.const 4)))
                (drop (call $args (i32.const 8) (i32.const 12)))
                (call $seen (i32.load (i32.const 8)))
                (call $exit (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 16)) (i32.load (i32.const 8))))))
            """;

    private static Engine engine(Tier tier) {
        return Engine.builder().tier(tier).compileInBackground(false).build();
    }

    @Test
    void catPrintsAPreopenedFileAndReturnsItsExitCodeOnEveryTier() throws Exception {
        String hello = Files.readString(REPO.resolve("examples/data/hello.txt"));
        for (WasiTier tier : WasiTier.available()) {
            Engine engine = engine(tier.tier());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Wasi.builder().programName("cat").args("/data/hello.txt")
                    .preopen(REPO.resolve("examples/data"), "/data").stdout(out).engine(engine)
                    .run(engine.compile(CAT));
            assertEquals(0, exit, tier.name());
            assertEquals(hello, out.toString(StandardCharsets.UTF_8), tier.name());
        }
    }

    @Test
    void standardInputAndErrorAreRedirectedAndAFailureIsTheProgramsExitCode() throws Exception {
        WasmModule cat = Engine.builder().build().compile(CAT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Wasi.builder().stdin(new ByteArrayInputStream("piped\n".getBytes(StandardCharsets.UTF_8))).stdout(out).run(cat);
        assertEquals(0, exit);
        assertEquals("piped\n", out.toString(StandardCharsets.UTF_8));

        // without a preopened directory the program can open nothing
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exit = Wasi.builder().programName("cat").args("/nowhere.txt").stdout(out).stderr(err).run(cat);
        assertEquals(1, exit);
        assertEquals("cat: /nowhere.txt: Capabilities insufficient\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void environmentArgumentsAndOtherImportsReachTheProgram() {
        AtomicInteger seen = new AtomicInteger();
        Imports imports = new Imports().define(HostFunction.ofVoid("env", "seen", I32, (caller, argc) -> seen.set(argc)));
        WasmModule counts = Engine.builder().build().compile(COUNTS_WAT.getBytes(StandardCharsets.UTF_8));
        int exit = Wasi.builder().args("x", "y").env("A", "1").env("B", "2").imports(imports).run(counts);
        assertEquals(2 * 16 + 3, exit);
        assertEquals(3, seen.get());
        // the imports given are not changed by the run: WASI's functions were added to a copy
        assertTrue(!imports.contains("wasi_snapshot_preview1", "proc_exit"));
    }

    @Test
    void aTrapIsThrownAndAMissingStartIsNamed() {
        WasmModule traps = Engine.builder().build().compile("(module (func (export \"_start\") unreachable))".getBytes(StandardCharsets.UTF_8));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> Wasi.builder().run(traps));
        assertEquals(TrapKind.UNREACHABLE, trap.kind());
        WasmModule noStart = Engine.builder().build().compile("(module)".getBytes(StandardCharsets.UTF_8));
        Exception e = assertThrows(RuntimeException.class, () -> Wasi.builder().run(noStart));
        assertTrue(e.getMessage().contains("_start"), e.getMessage());
    }
}
