package dev.kiln.tests.wasi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kiln's own C programs for WASI (test resources {@code wasi/c}: file I/O in a temporary directory,
 * piped standard input, exit codes, clocks, large output, arguments and environment, non-ASCII file
 * names), compiled with clang at test time and run end to end on every tier: in this JVM through the
 * embedding API, and through the {@code kiln run} command in a child process with its standard input
 * piped and its exit status checked.
 */
@Tag("wasi")
class WasiCProgramsTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static Path folder;
    private static List<WasiCase> cases;
    private static Path cache;

    @BeforeAll
    static void build() throws Exception {
        folder = CPrograms.build();
        cases = new ArrayList<>();
        for (String name : CPrograms.names()) cases.add(WasiCase.of(folder, name));
        cache = Files.createTempDirectory("kiln-cache-");
    }

    @AfterAll
    static void removeCache() throws IOException {
        if (cache != null) WasiCase.deleteTree(cache);
    }

    @TestFactory
    Stream<DynamicTest> inProcess() {
        return WasiTier.available().stream().flatMap(tier -> cases.stream().map(c ->
                DynamicTest.dynamicTest(tier.name() + " " + c.id(), () -> {
                    WasiOutcome o = WasiSuite.run(c, tier, LIMIT);
                    if (o.status() != WasiOutcome.Status.PASSED) fail(o.reason());
                })));
    }

    /** {@code kiln run --tier T --cache-dir C [--env K=V]... [--dir ROOT::/] NAME.wasm ARGS...} in a child process. */
    @TestFactory
    Stream<DynamicTest> throughTheCli() {
        return WasiTier.available().stream().flatMap(tier -> cases.stream().map(c ->
                DynamicTest.dynamicTest(tier.name() + " kiln run " + c.id(), () -> {
                    WasiSpec spec = c.spec();
                    Path temp = Files.createTempDirectory("kiln-wasi-cli-");
                    try {
                        Path copy = c.freshCopy(temp);
                        List<String> args = new ArrayList<>(List.of("run", "--tier", tier.cliName(), "--cache-dir", cache.toString()));
                        spec.env().forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
                        if (spec.root() != null) args.addAll(List.of("--dir", copy.resolve(spec.root()) + "::/"));
                        args.add(copy.resolve(c.wasm().getFileName().toString()).toString());
                        args.addAll(spec.args());
                        byte[] stdin = spec.stdin() == null ? null : spec.stdin().getBytes(StandardCharsets.UTF_8);
                        KilnProcess.Result r = KilnProcess.run(KilnProcess.javaCommand(args), stdin, LIMIT, null);
                        WasiOutcome o = WasiOutcome.judge(c.id(), tier, spec, r.asExecution());
                        if (o.status() != WasiOutcome.Status.PASSED) fail(o.reason());
                    } finally {
                        WasiCase.deleteTree(temp);
                    }
                })));
    }

    private static KilnProcess.Result kilnRun(WasiTier tier, byte[] stdin, String program, String... programArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--tier", tier.cliName(), "--cache-dir", cache.toString(),
                folder.resolve(program + ".wasm").toString()));
        args.addAll(List.of(programArgs));
        return KilnProcess.run(KilnProcess.javaCommand(args), stdin, LIMIT, null);
    }

    @Test
    void aLargeInputIsPipedThroughStdinToItsEnd() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 300_000; i++) text.append("line ").append(i).append(" of piped input, äöü\n");
        byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        // stdin_upper upper-cases byte by byte in the C locale: only ASCII letters change
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < input.length; i++) {
            byte b = input[i];
            expected.append((char) (b >= 'a' && b <= 'z' ? b - 32 : b & 0xFF));
        }
        long lines = text.chars().filter(ch -> ch == '\n').count();
        expected.append("lines=").append(lines).append(" bytes=").append(input.length).append('\n');
        for (WasiTier tier : WasiTier.available()) {
            KilnProcess.Result r = kilnRun(tier, input, "stdin_upper");
            assertEquals(0, r.exit(), tier.name() + ": " + r.stderrText());
            assertEquals(expected.toString(), new String(r.stdout(), StandardCharsets.ISO_8859_1), tier.name());
        }
    }

    @Test
    void exitStatusesReachTheShell() throws Exception {
        for (WasiTier tier : WasiTier.available()) {
            KilnProcess.Result returned = kilnRun(tier, null, "exit_code");
            assertEquals(7, returned.exit(), tier.name() + ": returning 7 from main");
            assertEquals("exiting\n", returned.stdoutText(), tier.name());
            int code = tier == WasiTier.INTERP ? 3 : 125; // (42 is in exit_code.json; 126 and up trap)
            KilnProcess.Result r = kilnRun(tier, null, "exit_code", Integer.toString(code));
            assertEquals(code, r.exit(), tier.name() + ": exit(" + code + ")");
            assertEquals("exiting\n", r.stdoutText(), tier.name() + ": stdio is flushed by exit(" + code + ")");
        }
    }

    @Test
    void anInvalidExitStatusIsATrapWithItsCause() throws Exception {
        for (WasiTier tier : WasiTier.available()) {
            KilnProcess.Result r = kilnRun(tier, null, "exit_code", "200");
            assertEquals(WasiExecution.TRAP_EXIT, r.exit(), tier.name() + ": " + r.stderrText());
            assertTrue(r.stderrText().startsWith(folder.resolve("exit_code.wasm") + ": wasm trap: "), r.stderrText());
            assertTrue(r.stderrText().contains("exit with invalid exit status"), r.stderrText());
            assertTrue(r.stderrText().contains("\n  at "), "the Wasm stack: " + r.stderrText());
        }
    }

    /**
     * The {@code ./kiln} launcher with no locale in the environment still handles non-ASCII file names
     * (it chooses C.UTF-8; the JVM would otherwise encode file names as ASCII). Runs only when the
     * launcher's jar is up to date, as it is in {@code ./run-tests}: otherwise the launcher would
     * start a Maven build.
     */
    @Test
    void theLauncherHandlesNonAsciiFileNamesWithoutALocale() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path launcher = repo.resolve("kiln");
        Path jar = repo.resolve("cli/target/kiln.jar");
        Assumptions.assumeTrue(Files.isExecutable(launcher), "no launcher at " + launcher);
        Assumptions.assumeTrue(Launcher.upToDate(repo, jar), jar + " is missing or older than the sources (./kiln would rebuild it)");
        Path temp = Files.createTempDirectory("kiln-launcher-");
        try {
            Path scratch = Files.createDirectories(temp.resolve("scratch"));
            List<String> cmd = List.of(launcher.toString(), "run", "--dir", scratch + "::/", folder.resolve("unicode_names.wasm").toString());
            KilnProcess.Result r = KilnProcess.run(cmd, null, LIMIT, env -> {
                env.remove("LC_ALL");
                env.remove("LC_CTYPE");
                env.remove("LANG");
            });
            WasiSpec spec = WasiSpec.read(folder.resolve("unicode_names.json"));
            assertEquals(0, r.exit(), r.stderrText());
            assertEquals(spec.stdout(), r.stdoutText());
        } finally {
            WasiCase.deleteTree(temp);
        }
    }
}
