package dev.kiln.ir;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Valid modules to run IR code over: every valid spec-suite module, and the WASI suite's binaries. */
final class IrCorpus {
    private IrCorpus() {
    }

    static List<ValidatedModule> specModules() {
        List<ValidatedModule> out = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
            try {
                out.add(ValidatedModule.of(Files.readAllBytes(p)));
            } catch (ModuleException | IOException e) {
                // deliberately broken modules of assert_invalid / assert_malformed
            }
        }
        return out;
    }

    static List<Path> wasiBinaries() {
        try (Stream<Path> s = Files.walk(SharedData.require("wasi-testsuite"))) {
            return s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
