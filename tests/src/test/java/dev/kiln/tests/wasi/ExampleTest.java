package dev.kiln.tests.wasi;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.wasi.PreopenDir;
import dev.kiln.runtime.wasi.WasiConfig;
import dev.kiln.runtime.wasi.WasiPreview1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's WASI example, run as the README shows it (from the repository's root, through
 * {@code kiln run}): {@code examples/cat.wasm} reads a file from a preopened directory and writes it
 * to stdout, and cannot read outside that directory. Its source, rebuilt with the command in
 * {@code examples/cat.c}, behaves the same.
 */
@Tag("wasi")
class ExampleTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final String README_COMMAND = "./kiln run --dir examples/data::/data examples/cat.wasm /data/hello.txt";
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static KilnProcess.Result kiln(String... args) throws Exception {
        return KilnProcess.run(KilnProcess.javaCommand(List.of(args)), REPO, null, LIMIT, null);
    }

    @Test
    void theReadmeShowsTheCommand() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        assertTrue(readme.contains(README_COMMAND), "README.md shows: " + README_COMMAND);
        assertTrue(Files.readString(REPO.resolve("examples/cat.c")).contains(README_COMMAND.substring(2)));
    }

    @Test
    void catPrintsAFileFromThePreopenedDirectoryOnEveryTier() throws Exception {
        String hello = Files.readString(REPO.resolve("examples/data/hello.txt"));
        for (WasiTier tier : WasiTier.available()) {
            KilnProcess.Result r = kiln("run", "--tier", tier.cliName(), "--no-cache",
                    "--dir", "examples/data::/data", "examples/cat.wasm", "/data/hello.txt");
            assertEquals(0, r.exit(), tier.name() + ": " + r.stderrText());
            assertEquals(hello, r.stdoutText(), tier.name());
        }
    }

    /** Through {@code ..}, an absolute path, a relative path, and a symbolic link that points outside. */
    @Test
    void catCannotReadOutsideThePreopenedDirectories() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Path link = Files.createSymbolicLink(other.resolve("out"), REPO);
        KilnProcess.Result r;
        try {
            r = kiln("run", "--dir", "examples/data::/data", "--dir", other + "::/t", "examples/cat.wasm",
                    "/data/../README.md", "/examples/cat.c", "README.md", "/t/out/README.md", "/t/../data/hello.txt");
        } finally {
            Files.delete(link);
        }
        assertEquals(1, r.exit(), r.stderrText());
        assertEquals("", r.stdoutText());
        assertEquals("""
                cat: /data/../README.md: Operation not permitted
                cat: /examples/cat.c: Capabilities insufficient
                cat: README.md: Capabilities insufficient
                cat: /t/out/README.md: Operation not permitted
                cat: /t/../data/hello.txt: Operation not permitted
                """, r.stderrText());
    }

    /** The README's Java snippet, with standard output captured. */
    @Test
    void theEmbeddingSnippetRunsTheExample() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Store store = new Store(); WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder()
                .programName("cat.wasm").args(List.of("/data/hello.txt"))
                .preopen(PreopenDir.parse(REPO.resolve("examples/data") + "::/data")).stdout(out).build())) {
            Instance app = store.instantiate(WasmModule.read(REPO.resolve("examples/cat.wasm")),
                    new Imports().defineAll(wasi.hostFunctions(), store));
            app.function("_start").call();
        }
        assertEquals(Files.readString(REPO.resolve("examples/data/hello.txt")), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSourceBuildsWithTheDocumentedCommandAndBehavesTheSame() throws Exception {
        Path wasm = dir.resolve("cat.wasm");
        List<String> cmd = new ArrayList<>(List.of("clang", "--target=wasm32-wasi", "-O2", "-Wl,--strip-debug", "-o",
                wasm.toString(), "examples/cat.c"));
        Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "clang failed:\n" + log);
        KilnProcess.Result r = KilnProcess.run(KilnProcess.javaCommand(List.of("run", "--dir", "examples/data::/data",
                wasm.toString(), "/data/hello.txt")), REPO, null, LIMIT, null);
        assertEquals(0, r.exit(), r.stderrText());
        assertEquals(Files.readString(REPO.resolve("examples/data/hello.txt")), r.stdoutText());
        KilnProcess.Result piped = KilnProcess.run(KilnProcess.javaCommand(List.of("run", wasm.toString())), REPO,
                "piped\ninput".getBytes(StandardCharsets.UTF_8), LIMIT, null);
        assertEquals("piped\ninput", piped.stdoutText());
    }
}
