package dev.kiln.tests.spec;

import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The WebAssembly 3.0 spec suite ({@code ../shared/wasm-3.0-testsuite}, text scripts) for the
 * features of issue 17, as JUnit dynamic tests: each script is converted to wast2json's format by
 * {@code spec3/wast_to_json.py} (wasmtime's text parser; cached under {@code target/spec3-json})
 * and then run by {@link SpecRunner} like the 2.0 suite. Results go to
 * {@code tests/target/spec-3.0-report.json}.
 */
public final class Spec3Suite {
    public static final Path REPORT = Path.of("target", "spec-3.0-report.json");
    private static final Path OUT = Path.of("target", "spec3-json");

    /** The scripts of issue 17 (3.0 without GC): tail calls, exceptions, typed references, multi-memory, memory64, extended constants. */
    public static final List<String> ISSUE_17 = List.of(
            "return_call", "return_call_indirect", "return_call_ref",
            "tag", "throw", "throw_ref", "try_table",
            "call_ref", "br_on_null", "br_on_non_null", "ref_as_non_null", "local_init", "ref",
            "address64", "align64", "binary_leb128_64", "bulk64", "call_indirect64", "endianness64", "float_memory64",
            "load64", "memory64", "memory_grow64", "memory_redundancy64", "memory_trap64", "table_copy64",
            "table_fill64", "table_get64", "table_grow64", "table_init64", "table_set64", "table_size64",
            "memory64-imports", "memory-multi",
            "address0", "address1", "align0", "binary0", "data0", "data1", "data_drop0", "exports0",
            "float_exprs0", "float_exprs1", "float_memory0", "imports0", "imports1", "imports2", "imports3", "imports4",
            "linking0", "linking1", "linking2", "linking3", "load0", "load1", "load2", "memory_copy0", "memory_copy1",
            "memory_fill0", "memory_grow", "memory_init0", "memory_size0", "memory_size1", "memory_size2", "memory_size3",
            "memory_trap0", "memory_trap1", "start0", "store0", "store1", "traps0",
            "global", "data", "elem");

    /**
     * Commands of these scripts that need the GC instructions (issue 18), which this tier set does not
     * decode yet: reported as {@code needs_gc}, counted as skipped, never as passed.
     */
    static final java.util.Set<String> NEEDS_GC = java.util.Set.of("table_init64.wast:2457", "table_init64.wast:2471");

    private Spec3Suite() {
    }

    static Path suiteDir() {
        return SharedData.require("wasm-3.0-testsuite");
    }

    /** The scripts of a list that exist in the suite, in list order ({@code kiln.spec.scripts} narrows it). */
    public static List<String> scripts(List<String> names) {
        var only = SpecSuite.selected();
        List<String> out = new ArrayList<>();
        for (String n : names) if (Files.exists(suiteDir().resolve(n + ".wast")) && only.test(n)) out.add(n);
        return out;
    }

    /** The converted JSON of a script, converting it when the cached copy is missing or older than the script. */
    static synchronized Path json(String name) throws IOException, InterruptedException {
        Path wast = suiteDir().resolve(name + ".wast");
        Path dir = OUT.resolve(name.replace('/', '_'));
        Path json = dir.resolve(Path.of(name).getFileName() + ".json");
        if (Files.exists(json) && Files.getLastModifiedTime(json).compareTo(Files.getLastModifiedTime(wast)) >= 0) return json;
        Files.createDirectories(dir);
        Path script = Path.of("src", "test", "resources", "spec3", "wast_to_json.py").toAbsolutePath();
        Process p = new ProcessBuilder(python().toString(), script.toString(), wast.toString(), dir.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException("converting " + wast + " failed:\n" + log);
        return json;
    }

    private static Path python() {
        String p = System.getProperty("kiln.wasmtime.python");
        if (p != null && !p.isBlank()) return Path.of(p);
        Path venv = Path.of(".venv", "bin", "python");
        if (Files.isExecutable(venv)) return venv.toAbsolutePath();
        throw new IllegalStateException("the 3.0 suite needs Python with wasmtime (tests/.venv; ./run-tests makes it)");
    }

    public static Stream<DynamicTest> tests(SpecTier tier, List<String> names) {
        List<String> scripts = scripts(names);
        List<FileResult> results = Collections.synchronizedList(new ArrayList<>());
        Stream<DynamicTest> perFile = scripts.stream().map(name -> DynamicTest.dynamicTest(
                tier.name() + " " + name + ".wast", () -> {
                    FileResult r = SpecRunner.run(tier, json(name));
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
            System.out.printf("%-9s 3.0 TOTAL %d files: passed %d, failed %d, skipped %d -> %s%n", tier.name(),
                    results.size(), passed, failed, skipped, REPORT.toAbsolutePath());
            SpecReport.write(REPORT, tier.name(), results);
        });
        return Stream.concat(perFile, Stream.of(summary));
    }
}
