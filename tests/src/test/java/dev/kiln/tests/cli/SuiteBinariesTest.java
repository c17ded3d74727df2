package dev.kiln.tests.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.Main;
import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln validate} and {@code kiln inspect --json} on every binary of the WASI suite (the 2 MB
 * Rust programs among them) and on every spec-suite module: valid ones give exit 0 and JSON that
 * parses; the suite's deliberately broken ones give exit 1 with a one-line error, never a crash.
 */
class SuiteBinariesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int kiln(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void wasiSuiteBinariesValidateAndInspect() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(SharedData.require("wasi-testsuite"))) {
            files = s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        assertTrue(files.size() >= 70, "found " + files.size());
        for (Path f : files) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            assertEquals(0, kiln(out, err, "validate", f.toString()), err.toString());
            out.reset();
            assertEquals(0, kiln(out, err, "inspect", "--json", f.toString()), err.toString());
            assertTrue(JSON.readTree(out.toByteArray()).get("functions").size() > 0, f.toString());
        }
    }

    @Test
    void specSuiteModulesValidateOrFailWithOneLine() throws Exception {
        int valid = 0, rejected = 0;
        List<String> problems = new ArrayList<>();
        for (Path f : SharedData.specModules()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            int code = kiln(out, err, "inspect", "--json", f.toString());
            if (code == 0) {
                JSON.readTree(out.toByteArray());
                valid++;
            } else if (code == 1 && err.toString().strip().split("\n").length == 1 && err.toString().contains("offset 0x")) {
                rejected++;
            } else {
                problems.add(f + ": exit " + code + ": " + err);
            }
        }
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(valid > 1500 && rejected > 2000, valid + " valid, " + rejected + " rejected");
    }
}
