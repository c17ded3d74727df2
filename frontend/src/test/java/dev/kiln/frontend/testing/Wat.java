package dev.kiln.frontend.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Compiles WebAssembly text to a binary with wabt's {@code wat2wasm} (Debian package {@code wabt},
 * which {@code ./run-tests} installs), so tests can state their modules readably. Relaxed SIMD is
 * on; wabt 1.0.32 spells the two relaxed dot products without {@code relaxed_}
 * ({@code i16x8.dot_i8x16_i7x16_s}), see {@link #wabtSpelling}.
 */
public final class Wat {
    private Wat() {
    }

    /** {@code wat} with the relaxed dot products renamed to wabt 1.0.32's spelling. */
    public static String wabtSpelling(String wat) {
        return wat.replace(".relaxed_dot_i8x16_i7x16", ".dot_i8x16_i7x16");
    }

    public static byte[] compile(String wat) {
        try {
            Path dir = Files.createTempDirectory("kiln-wat");
            try {
                Path in = dir.resolve("m.wat");
                Path out = dir.resolve("m.wasm");
                Files.writeString(in, wat, StandardCharsets.UTF_8);
                Process p;
                try {
                    p = new ProcessBuilder("wat2wasm", "--debug-names", "--no-check", "--enable-relaxed-simd", in.toString(), "-o",
                            out.toString())
                            .redirectErrorStream(true).start();
                } catch (IOException e) {
                    throw new IllegalStateException("wat2wasm not found: install Debian's wabt package (./run-tests does)", e);
                }
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalArgumentException("wat2wasm failed:\n" + log + "\n" + wat);
                }
                return Files.readAllBytes(out);
            } finally {
                try (var s = Files.list(dir)) {
                    s.forEach(f -> f.toFile().delete());
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
