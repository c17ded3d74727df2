package dev.kiln.tests.spec;

import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Turns the spec suite into JUnit dynamic tests for one tier: one test per script, which fails
 * when any command of the script fails. After the last script, prints the total and writes the
 * tier into {@link SpecReport}.
 */
public final class SpecSuite {
    private SpecSuite() {
    }

    public static Path jsonDir() {
        return SharedData.require("wasm-testsuite/json");
    }

    /** Every script, in name order; {@code include} filters by script name (e.g. "i32"). */
    public static List<Path> scripts(Predicate<String> include) throws IOException {
        try (Stream<Path> dirs = Files.list(jsonDir())) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> include.test(d.getFileName().toString()))
                    .map(d -> d.resolve(d.getFileName() + ".json"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * The scripts named by the system property {@code kiln.spec.scripts} (comma-separated script names,
     * e.g. {@code i32,f32}, for iterating on one area), or every script when it is not set.
     */
    public static Predicate<String> selected() {
        String only = System.getProperty("kiln.spec.scripts", "").trim();
        if (only.isEmpty()) return name -> true;
        java.util.Set<String> names = java.util.Set.of(only.split("\\s*,\\s*"));
        return names::contains;
    }

    public static boolean isSimd(String scriptName) {
        return scriptName.startsWith("simd_");
    }

    public static Stream<DynamicTest> tests(SpecTier tier, Predicate<String> include) throws IOException {
        List<Path> scripts = scripts(include);
        List<FileResult> results = Collections.synchronizedList(new ArrayList<>());
        Stream<DynamicTest> perFile = scripts.stream().map(json -> DynamicTest.dynamicTest(
                tier.name() + " " + json.getFileName(), () -> {
                    FileResult r = SpecRunner.run(tier, json);
                    results.add(r);
                    System.out.println(r.summaryLine(tier.name()));
                    if (!r.failures.isEmpty()) {
                        r.failures.forEach(f -> System.out.println("  FAILED " + f));
                        fail(r.failures.size() + " command(s) failed in " + r.file + ", first: " + r.failures.get(0));
                    }
                }));
        DynamicTest summary = DynamicTest.dynamicTest(tier.name() + " summary", () -> {
            int passed = results.stream().mapToInt(r -> r.total(SpecRunner.PASSED)).sum();
            int failed = results.stream().mapToInt(r -> r.total(SpecRunner.FAILED)).sum();
            int skipped = results.stream().mapToInt(r -> r.total(SpecRunner.SKIPPED)).sum();
            System.out.printf("%-9s TOTAL %d files: passed %d, failed %d, skipped %d -> %s%n", tier.name(),
                    results.size(), passed, failed, skipped, SpecReport.PATH.toAbsolutePath());
            SpecReport.write(tier.name(), results);
        });
        return Stream.concat(perFile, Stream.of(summary));
    }
}
