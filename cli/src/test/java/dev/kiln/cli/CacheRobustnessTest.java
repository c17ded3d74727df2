package dev.kiln.cli;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The code cache and kiln's output files under hostile conditions: something other than a regular
 * file at a cache key (a FIFO that would block a reader forever, a directory, a link to a device) is
 * never opened in a way that waits, only reported and replaced; a cache directory that cannot be
 * written, or a file system that is full, gives one line and exit code 1, and leaves no temporary
 * file behind; an entry whose metadata is damaged is found when the function it describes is bound
 * (before it runs): one line, the entry is removed, the function runs from the module's Wasm instead
 * (compiled, or interpreted on auto) and the run succeeds; the next run rebuilds the entry.
 */
class CacheRobustnessTest {
    @TempDir
    Path dir;
    private Path module;
    private Path cacheDir;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Backends.host() != null, "no native tier here");
        module = dir.resolve("m.wasm");
        StringBuilder wat = new StringBuilder("(module (func (export \"f\") (result i32) (i32.const 42))");
        for (int i = 0; i < 40; i++) wat.append(" (func (export \"g").append(i).append("\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const ").append(i).append(")))");
        Files.write(module, Wat.compile(wat.append(")").toString()));
        cacheDir = dir.resolve("cache");
        Files.createDirectories(cacheDir);
    }

    /** Where the cache entry of the test module for this machine goes. */
    private Path entry() throws Exception {
        WasmModule m = WasmModule.read(module);
        return new CodeCache(cacheDir).pathOf(NativeCompiler.identity(m, Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
    }

    @Test
    void aFifoDirectoryOrDeviceAtACacheKeyIsReplacedNeverWaitedOn() throws Exception {
        Path entry = entry();
        List<Runnable> plants = List.of(
                () -> quietly(() -> run("mkfifo", entry.toString())),
                () -> quietly(() -> Files.createDirectory(entry)),
                () -> quietly(() -> Files.createSymbolicLink(entry, Path.of("/dev/zero"))));
        for (Runnable plant : plants) {
            for (String tier : List.of("native", "auto")) {
                plant.run();
                CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> CliRunner.run("run", "--tier", tier, "--cache-dir", cacheDir.toString(), "--invoke", "f", module.toString()));
                assertEquals(0, r.exit(), r.err());
                assertEquals("42\n", r.out());
                assertTrue(r.err().contains("not a regular file") && r.err().contains("removed"), r.err());
                assertFalse(r.err().contains("Exception"), r.err());
                if (tier.equals("native")) assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS), "rebuilt");
                Files.deleteIfExists(entry);
            }
        }
        // listing and verifying a cache with a FIFO in it does not wait either
        run("mkfifo", entry.toString());
        CliRunner list = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run("cache", "list", "--cache-dir", cacheDir.toString()));
        assertTrue(list.out().contains("not a regular file"), list.out());
        CliRunner verify = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run("cache", "verify", "--cache-dir", cacheDir.toString()));
        assertEquals(Main.FAILED, verify.exit());
        assertTrue(verify.out().contains("not a regular file") && verify.out().contains("(removed)"), verify.out());
        assertFalse(Files.exists(entry, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void damagedMetadataIsNeverRunTheRunSucceedsFromTheWasmAndTheNextRunRebuilds() throws Exception {
        Path entry = entry();
        CliRunner compile = CliRunner.run("compile", "--cache-dir", cacheDir.toString(), module.toString());
        assertEquals(0, compile.exit(), compile.err());
        byte[] good = Files.readAllBytes(entry);
        MappedObject o = MappedObject.open(entry);
        long rows = o.metadataFileOffset(), end = rows + o.metadataSize();
        // the row of f (function 0, the one the run calls) and the last byte of the trap tables
        for (long at : List.of(rows + 4, end - 1)) {
            for (String tier : List.of("native", "auto")) {
                byte[] bad = good.clone();
                bad[(int) at] ^= 0x40;
                Files.write(entry, bad);
                CliRunner r = CliRunner.run("run", "--tier", tier, "--cache-dir", cacheDir.toString(), "--stats=json",
                        "--invoke", "f", module.toString());
                String what = tier + ", byte " + (at - rows) + " of the metadata: " + r.err();
                // nothing is hashed up front: binding f checks its metadata block, which is damaged, so f never runs from
                // the cache but from the module's Wasm (compiled on native, interpreted on auto), and the run goes on
                assertEquals(0, r.exit(), what);
                assertEquals("42\n", r.out(), what);
                List<String> lines = r.err().strip().lines().toList();
                assertEquals(2, lines.size(), what); // the warning, then --stats
                assertEquals("kiln: metadata block 0 of " + entry + " is damaged; the functions it describes run from the module's"
                        + " Wasm instead (entry removed; the next run rebuilds it)", lines.get(0), what);
                assertTrue(lines.get(1).contains("\"boundFromCache\":0,"), "f never ran from the damaged entry: " + what);
                assertTrue(lines.get(1).contains(tier.equals("native") ? "\"compiled\":1," : "\"interpreted\":1,"), what);
                assertFalse(Files.exists(entry), what);
                CliRunner again = CliRunner.run("run", "--tier", tier, "--cache-dir", cacheDir.toString(), "--invoke", "f", module.toString());
                assertEquals(0, again.exit(), again.err());
                assertEquals("42\n", again.out());
                assertEquals("", again.err(), "the next run finds nothing wrong");
                // rebuilt whole (native), or left for the auto tier to fill; never a half-written entry
                if (tier.equals("native")) assertArrayEquals(good, Files.readAllBytes(entry), what);
                else if (Files.exists(entry)) checkWhole(entry);
                try (var files = Files.list(cacheDir)) {
                    assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no temporary file left in the cache");
                }
            }
        }
    }

    @Test
    void anUnwritableCacheDirectoryIsOneLineAndExitCodeOne() {
        Path unwritable = Path.of("/sys/kiln-cache-test"); // sysfs refuses new directories, even to root
        assumeTrue(!Files.exists(unwritable));
        CliRunner r = CliRunner.run("compile", "--cache-dir", unwritable.toString(), module.toString());
        assertEquals(Main.FAILED, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("kiln compile: cannot write to the code cache /sys/kiln-cache-test: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("java."), r.err());
        // kiln run carries on without the cache, with a warning
        CliRunner run = CliRunner.run("run", "--tier", "native", "--cache-dir", unwritable.toString(), "--invoke", "f", module.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("42\n", run.out());
    }

    @Test
    void aFullFileSystemIsOneLineAndLeavesNothingBehind() throws Exception {
        // a file size limit makes every write past 1 KiB fail as a full disk would (EFBIG instead of ENOSPC)
        Path out = dir.resolve("out.o");
        for (List<String> args : List.of(List.of("compile", "--cache-dir", cacheDir.toString(), module.toString()),
                List.of("compile", "-o", out.toString(), module.toString()))) {
            List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.Main"));
            java.addAll(args);
            String command = "ulimit -f 2; exec " + String.join(" ", java.stream().map(CacheRobustnessTest::quote).toList());
            Process p = new ProcessBuilder("bash", "-c", command).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(Main.FAILED, p.exitValue(), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.contains("File too large"), err);
            try (var files = Files.list(cacheDir)) {
                assertEquals(List.of(), files.toList(), "no temporary file left in the cache");
            }
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("out.o")), "no partial output");
            }
        }
    }

    private static void checkWhole(Path entry) throws Exception {
        MappedObject o = MappedObject.open(entry);
        o.checkAllMetadata();
        o.checkAllText();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    interface Action {
        void run() throws Exception;
    }

    private static void quietly(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
