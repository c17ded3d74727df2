package dev.kiln.frontend.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the read-only shared data ({@code ../shared} beside the repository: the spec and WASI
 * suites). The {@code kiln.shared} system property overrides the location.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("kiln.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        // Tests run with their Maven module's directory as working directory: MODULE -> repo -> ../shared
        return Path.of("").toAbsolutePath().getParent().resolveSibling("shared").normalize();
    }

    /** A path under the shared data; fails with a clear message when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared test data not found: " + p
                    + " (expected ../shared beside the repository, or -Dkiln.shared=DIR)");
        }
        return p;
    }

    /** Every .wasm file of the spec suite's scripts, in name order. */
    public static List<Path> specModules() {
        try (var s = Files.walk(require("wasm-testsuite/json"))) {
            return s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
