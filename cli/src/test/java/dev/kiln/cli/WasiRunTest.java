package dev.kiln.cli;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln run} of modules that import WASI preview 1: the host is linked automatically and the
 * {@code wasmtime run} options reach it. (The WASI suite and compiled C programs run end to end in the
 * {@code tests} module.)
 */
class WasiRunTest {
    @TempDir
    Path dir;

    /** Writes the NUL-separated strings of args_* or environ_* ({@code kind}) to stdout. */
    private static String printStrings(String kind) {
        return """
                (module
                  (import "wasi_snapshot_preview1" "%1$s_sizes_get" (func $sizes (param i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "%1$s_get" (func $get (param i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "_start")
                    (drop (call $sizes (i32.const 0) (i32.const 4)))
                    (drop (call $get (i32.const 1024) (i32.const 4096)))
                    (i32.store (i32.const 16) (i32.const 4096))
                    (i32.store (i32.const 20) (i32.load (i32.const 4)))
                    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
                """.formatted(kind);
    }

    /** Calls proc_exit with the first argument's length (so the test chooses the code by the argument). */
    private static final String EXIT_WITH_ARG_LENGTH = """
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (local $p i32) (local $n i32)
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                (drop (call $get (i32.const 1024) (i32.const 4096)))
                (local.set $p (i32.load (i32.const 1028)))
                (block $done (loop $next
                  (br_if $done (i32.eqz (i32.load8_u (local.get $p))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br $next)))
                (call $exit (local.get $n))))
            """;

    /** Prints the guest name of preopened descriptor 3. */
    private static final String PRINT_PREOPEN_NAME = """
            (module
              (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $name (param i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (local $errno i32)
                (local.set $errno (call $prestat (i32.const 3) (i32.const 0)))
                (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
                (drop (call $name (i32.const 3) (i32.const 4096) (i32.load (i32.const 4))))
                (i32.store (i32.const 16) (i32.const 4096))
                (i32.store (i32.const 20) (i32.load (i32.const 4)))
                (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
            """;

    private Path module(String name, String wat) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, Wat.compile(wat));
        return p;
    }

    private static String tierOrSkip(String tier) {
        if (tier.equals("native")) Assumptions.assumeTrue(Target.host() == Target.X86_64, "native tier: x86-64 hosts");
        return tier;
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native"})
    void argumentsFollowTheModuleAndArgv0IsItsFileName(String tier) throws Exception {
        Path p = module("args.wasm", printStrings("args"));
        CliRunner r = CliRunner.run("run", "--tier", tierOrSkip(tier), "--no-cache", p.toString(),
                "first", "-1", "--env", "x=y", "the \"second\" arg");
        assertEquals(0, r.exit(), r.err());
        assertEquals("args.wasm\0first\0-1\0--env\0x=y\0the \"second\" arg\0", r.out());
    }

    @Test
    void envSetsVariablesInOrderAndNameAloneTakesThisProcesssValue() throws Exception {
        Path p = module("env.wasm", printStrings("environ"));
        CliRunner r = CliRunner.run("run", "--env", "B=2", "--env", "A=x=y", "--env", "PATH",
                "--env", "KILN_SURELY_UNSET_VARIABLE", "--env", "NL=new\nline", p.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("B=2\0A=x=y\0PATH=" + System.getenv("PATH") + "\0NL=new\nline\0", r.out());
        assertEquals(0, CliRunner.run("run", p.toString()).out().length(), "no variables without --env");
    }

    @Test
    void inheritEnvPassesTheWholeEnvironmentAndEnvOverridesIt() throws Exception {
        Path p = module("env.wasm", printStrings("environ"));
        CliRunner r = CliRunner.run("run", "--inherit-env", "--env", "PATH=/nowhere", p.toString());
        assertEquals(0, r.exit(), r.err());
        String home = System.getenv("HOME");
        if (home != null) assertTrue(r.out().contains("\0HOME=" + home + "\0") || r.out().startsWith("HOME=" + home + "\0"), r.out());
        assertTrue(r.out().contains("PATH=/nowhere\0"), r.out());
        assertFalse(r.out().contains("PATH=" + System.getenv("PATH") + "\0"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native"})
    void procExitBecomesTheExitCode(String tier) throws Exception {
        Path p = module("exit.wasm", EXIT_WITH_ARG_LENGTH);
        assertEquals(0, CliRunner.run("run", "--tier", tierOrSkip(tier), "--no-cache", p.toString(), "").exit());
        assertEquals(5, CliRunner.run("run", "--tier", tier, "--no-cache", p.toString(), "12345").exit());
        assertEquals(125, CliRunner.run("run", "--tier", tier, "--no-cache", p.toString(), "x".repeat(125)).exit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native"})
    void aHostErrorTrapPrintsItsCause(String tier) throws Exception {
        Path p = module("exit.wasm", EXIT_WITH_ARG_LENGTH);
        CliRunner r = CliRunner.run("run", "--tier", tierOrSkip(tier), "--no-cache", p.toString(), "x".repeat(126));
        assertEquals(RunCommand.TRAP_EXIT, r.exit(), r.err());
        assertTrue(r.err().contains("exit.wasm: wasm trap: "), r.err());
        assertTrue(r.err().contains("exit with invalid exit status"), r.err());
        assertTrue(r.err().contains("at _start"), r.err());
    }

    @Test
    void dirPreopensUnderTheGuestName() throws Exception {
        Path p = module("pre.wasm", PRINT_PREOPEN_NAME);
        Path data = Files.createDirectories(dir.resolve("data"));
        CliRunner mapped = CliRunner.run("run", "--dir", data + "::/data", p.toString());
        assertEquals(0, mapped.exit(), mapped.err());
        assertEquals("/data", mapped.out());
        CliRunner same = CliRunner.run("run", "--dir", data.toString(), p.toString());
        assertEquals(data.toString(), same.out());
        CliRunner equalsForm = CliRunner.run("run", "--dir=" + data + "::.", p.toString());
        assertEquals(".", equalsForm.out(), equalsForm.err());
        assertEquals(108, CliRunner.run("run", p.toString()).exit(), "no preopen: fd_prestat_get is EBADF (8)");
    }

    @Test
    void badDirectoriesAndVariablesAreReported() throws Exception {
        Path p = module("pre.wasm", PRINT_PREOPEN_NAME);
        CliRunner missing = CliRunner.run("run", "--dir", dir.resolve("nope") + "::/", p.toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("preopen '" + dir.resolve("nope") + "' cannot be opened"), missing.err());
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        CliRunner notDir = CliRunner.run("run", "--dir", file.toString(), p.toString());
        assertEquals(1, notDir.exit());
        assertTrue(notDir.err().contains("is not a directory"), notDir.err());
        CliRunner badSpec = CliRunner.run("run", "--dir", "::/x", p.toString());
        assertEquals(Main.USAGE, badSpec.exit());
        assertTrue(badSpec.err().contains("bad --dir '::/x'"), badSpec.err());
        CliRunner badEnv = CliRunner.run("run", "--env", "=v", p.toString());
        assertEquals(Main.USAGE, badEnv.exit());
        assertTrue(badEnv.err().contains("bad --env '=v'"), badEnv.err());
    }

    @Test
    void otherMissingImportsAreStillNamed() throws Exception {
        Path p = module("m.wasm", """
                (module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                        (import "wasi_snapshot_preview1" "no_such_function" (func))
                        (import "env" "g" (global i32)))
                """);
        CliRunner r = CliRunner.run("run", p.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("kiln provides no import named wasi_snapshot_preview1.no_such_function, env.g (global)"), r.err());
        assertFalse(r.err().contains("fd_write"), r.err());
    }

    @Test
    void helpListsTheWasiOptions() {
        CliRunner r = CliRunner.run("run", "--help");
        assertEquals(0, r.exit());
        for (String option : new String[] {"--dir HOST[::GUEST]", "--env NAME[=VAL]", "--inherit-env"}) {
            assertTrue(r.out().contains(option), r.out());
        }
    }
}
