package dev.kiln.tests.wasm3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * WebAssembly 3.0 text to binary with wasmtime's text parser (the Python package in
 * {@code tests/.venv}, which {@code ./run-tests} installs), for tests whose modules use 3.0
 * features Debian's wabt cannot read. A stop-gap until kiln's own text parser lands.
 */
public final class Wat3 {
    private Wat3() {
    }

    public static byte[] compile(String wat) {
        try {
            Path in = Files.createTempFile("kiln-wat3", ".wat");
            Path out = Files.createTempFile("kiln-wat3", ".wasm");
            try {
                Files.writeString(in, wat, StandardCharsets.UTF_8);
                String script = "import sys, wasmtime; open(sys.argv[2], 'wb').write(wasmtime.wat2wasm(open(sys.argv[1]).read()))";
                Process p = new ProcessBuilder(python().toString(), "-c", script, in.toString(), out.toString())
                        .redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalArgumentException("wat2wasm failed:\n" + log + "\n" + wat);
                return Files.readAllBytes(out);
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path python() {
        String p = System.getProperty("kiln.wasmtime.python");
        if (p != null && !p.isBlank()) return Path.of(p);
        Path venv = Path.of(".venv", "bin", "python");
        if (Files.isExecutable(venv)) return venv.toAbsolutePath();
        throw new IllegalStateException("needs Python with wasmtime (tests/.venv; ./run-tests makes it)");
    }
}
