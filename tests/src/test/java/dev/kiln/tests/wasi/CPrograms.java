package dev.kiln.tests.wasi;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * kiln's own WASI test programs: C sources with a {@code NAME.json} each in the test resources
 * ({@code wasi/c}, see its README), compiled at test time with Debian's clang and wasi-libc into
 * {@code target/wasi-c/kiln-c/}, next to a copy of their specifications and directories, so the folder
 * runs like a folder of the WASI suite.
 */
public final class CPrograms {
    /** The compiler command, before the source and output: as the README and the example give it. */
    public static final List<String> CLANG = List.of("clang", "--target=wasm32-wasi", "-O2", "-Wall", "-Wextra");
    /** Programs whose names start with this are compiled with {@code -msimd128} too. */
    public static final String SIMD_PREFIX = "simd_";
    /** The folder name, and so the prefix of the case ids. */
    public static final String FOLDER = "kiln-c";

    private CPrograms() {
    }

    /** The sources: {@code wasi/c} on the test class path. */
    public static Path sources() {
        try {
            return Path.of(CPrograms.class.getResource("/wasi/c").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles every program into a fresh {@code target/wasi-c/kiln-c} holding a copy of the sources'
     * specifications and directories; returns that folder. Fails with a clear message when clang or
     * wasi-libc is missing.
     */
    public static synchronized Path build() throws IOException, InterruptedException {
        Path out = Path.of("target", "wasi-c", FOLDER).toAbsolutePath();
        if (Files.exists(out)) WasiCase.deleteTree(out);
        Files.createDirectories(out);
        Path src = sources();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                if (p.equals(src) || p.toString().endsWith(".c")) continue;
                Path copy = out.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(copy);
                else Files.copy(p, copy);
            }
        }
        for (String name : names()) {
            List<String> cmd = new ArrayList<>(CLANG);
            if (name.startsWith(SIMD_PREFIX)) cmd.add("-msimd128");
            cmd.addAll(List.of(src.resolve(name + ".c").toString(), "-o", out.resolve(name + ".wasm").toString()));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("clang not found: install Debian's clang, lld, wasi-libc and "
                        + "libclang-rt-14-dev-wasm32 (./run-tests does)", e);
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (wasm32-wasi needs Debian's clang, lld, "
                        + "wasi-libc and libclang-rt-14-dev-wasm32, which ./run-tests installs):\n" + log);
            }
        }
        return out;
    }

    /** The program names (each {@code NAME.c} with a {@code NAME.json}), in order. */
    public static List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(sources())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
        }
    }
}
