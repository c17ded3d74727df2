package dev.kiln.tests.spec;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.InvalidModuleException;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WastCommand;
import dev.kiln.frontend.text.WastModule;
import dev.kiln.frontend.text.WastParser;
import dev.kiln.runtime.Store;
import dev.kiln.wast.CommandStatus;
import dev.kiln.wast.ScriptResult;
import dev.kiln.wast.ScriptRunner;
import dev.kiln.wast.WastTier;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Turns the spec suites into JUnit dynamic tests for one tier, all run by kiln's script runner
 * ({@link ScriptRunner}): the WebAssembly 2.0 suite (JSON scripts with their modules, report
 * {@code target/spec-report.json}) and the WebAssembly 3.0 suite ({@code .wast} scripts read with
 * kiln's text parser, report {@code target/spec-3.0-report.json}). One test per script fails when
 * a command failed or the script passed fewer commands than its floor ({@link SpecFloor}); after
 * the last script a summary prints the totals and writes the tier into the report.
 */
public final class SpecSuite {
    public static final Path REPORT_20 = Path.of("target", "spec-report.json");
    public static final Path REPORT_30 = Path.of("target", "spec-3.0-report.json");

    /**
     * The 2.0 suite's text-format assert_malformed commands whose text WebAssembly 3.0 reads as a
     * well-formed but invalid module (memory64 widened limits and memory offsets to 64 bits). They
     * pass when kiln rejects the module at any stage.
     */
    static final Set<String> MALFORMED_IN_2_0_INVALID_IN_3_0 = Set.of(
            "address.wast:214", "memory.wast:80", "memory.wast:84", "memory.wast:88", "simd_address.wast:144",
            "simd_address.wast:152", "table.wast:28", "table.wast:32", "table.wast:36");

    /**
     * The 2.0 suite's binary commands whose expectation WebAssembly 3.0 changed (u64 memarg offsets,
     * memory indices in place of the reserved byte, several memories, earlier globals in constant
     * expressions): kiln decodes 3.0, so they are checked against the 3.0 outcome (true: the module
     * is valid; false: it is well-formed but invalid) and reported as {@code superseded_by_3.0}.
     */
    static final Map<String, Boolean> SUPERSEDED_BY_3_0 = supersededBy30();

    private static Map<String, Boolean> supersededBy30() {
        Map<String, Boolean> m = new HashMap<>();
        for (String s : List.of("binary-leb128.wast:405", "binary-leb128.wast:462", "binary.wast:483", "binary.wast:540",
                "binary.wast:877", "binary.wast:897", "binary.wast:916", "binary.wast:935", "binary.wast:974",
                "binary.wast:993", "binary.wast:1011", "binary.wast:1029", "data.wast:85", "data.wast:89",
                "elem.wast:152", "elem.wast:156", "global.wast:352", "global.wast:356", "imports.wast:483",
                "imports.wast:487", "imports.wast:491", "memory.wast:10", "memory.wast:11",
                // limits are u64 in 3.0: a 6-byte LEB is well-formed
                "binary-leb128.wast:218", "binary-leb128.wast:226", "binary.wast:223", "binary.wast:475")) m.put(s, true);
        for (String s : List.of("binary-leb128.wast:731", "binary-leb128.wast:750", "binary-leb128.wast:844",
                "binary-leb128.wast:863", "binary.wast:620", "binary.wast:639", "binary.wast:733", "binary.wast:752",
                "binary.wast:857", "binary.wast:955",
                // limits are u64 in 3.0: a value past 2^32 is well-formed, and too large for a 32-bit memory
                "binary-leb128.wast:526", "binary-leb128.wast:534", "binary-leb128.wast:542", "binary-leb128.wast:551",
                "binary.wast:276", "binary.wast:284", "binary.wast:604", "binary.wast:612")) m.put(s, false);
        return Map.copyOf(m);
    }

    private SpecSuite() {
    }

    public static Path jsonDir() {
        return SharedData.require("wasm-testsuite/json");
    }

    public static Path wastDir() {
        return SharedData.require("wasm-3.0-testsuite");
    }

    /** Every 2.0 script, in name order; {@code include} filters by script name (e.g. "i32"). */
    public static List<Path> scripts(Predicate<String> include) throws IOException {
        try (Stream<Path> dirs = Files.list(jsonDir())) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> include.test(d.getFileName().toString()))
                    .map(d -> d.resolve(d.getFileName() + ".json"))
                    .sorted()
                    .toList();
        }
    }

    /** Every 3.0 script (the root, {@code custom/} and {@code legacy/}; not {@code proposals/}), as paths relative to the suite. */
    public static List<String> wastScripts(Predicate<String> include) throws IOException {
        Path root = wastDir();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".wast"))
                    .map(p -> root.relativize(p).toString())
                    .filter(rel -> !rel.startsWith("proposals/"))
                    .filter(rel -> include.test(scriptName(rel)))
                    .sorted()
                    .toList();
        }
    }

    private static String scriptName(String relative) {
        String name = Path.of(relative).getFileName().toString();
        return name.substring(0, name.length() - ".wast".length());
    }

    /**
     * The scripts named by the system property {@code kiln.spec.scripts} (comma-separated script names,
     * e.g. {@code i32,f32}, for iterating on one area), or every script when it is not set.
     */
    public static Predicate<String> selected() {
        String only = System.getProperty("kiln.spec.scripts", "").trim();
        if (only.isEmpty()) return name -> true;
        Set<String> names = Set.of(only.split("\\s*,\\s*"));
        return names::contains;
    }

    public static boolean isSimd(String scriptName) {
        return scriptName.startsWith("simd_");
    }

    /** The SIMD scripts of both suites: {@code simd_*}, and the relaxed SIMD ones of 3.0 ({@code relaxed_*}, {@code *_relaxed_*}). */
    public static boolean isSimdScript(String scriptName) {
        return isSimd(scriptName) || scriptName.startsWith("relaxed_") || scriptName.contains("_relaxed_");
    }

    /** Both suites on {@code tier}: a container of per-script tests and a summary each. */
    public static Stream<DynamicNode> tests(WastTier tier, Predicate<String> include) throws IOException {
        List<DynamicTest> v2 = new ArrayList<>();
        List<ScriptResult> results2 = Collections.synchronizedList(new ArrayList<>());
        SpecFloor floor2 = new SpecFloor("2.0", tier.name());
        for (Path json : scripts(include)) {
            String name = json.getFileName().toString().replace(".json", ".wast");
            v2.add(DynamicTest.dynamicTest(tier.name() + " " + name, () -> check(tier, run20(tier, json), results2, floor2)));
        }
        v2.add(summary(tier, "2.0", REPORT_20, results2, floor2));

        List<DynamicTest> v3 = new ArrayList<>();
        List<ScriptResult> results3 = Collections.synchronizedList(new ArrayList<>());
        SpecFloor floor3 = new SpecFloor("3.0", tier.name());
        for (String rel : wastScripts(include)) {
            v3.add(DynamicTest.dynamicTest(tier.name() + " " + rel, () -> check(tier, run30(tier, rel), results3, floor3)));
        }
        v3.add(summary(tier, "3.0", REPORT_30, results3, floor3));
        return Stream.of(DynamicContainer.dynamicContainer("WebAssembly 2.0 (JSON)", v2),
                DynamicContainer.dynamicContainer("WebAssembly 3.0 (.wast)", v3));
    }

    private static ScriptResult run20(WastTier tier, Path json) throws IOException {
        SpecScript script = SpecScript.read(json);
        String file = script.sourceFilename();
        List<WastCommand> all = JsonScripts.commands(script, json.getParent());
        List<WastCommand> runnable = new ArrayList<>();
        List<WastCommand.AssertModule> nowInvalid = new ArrayList<>();
        List<WastCommand.AssertModule> superseded = new ArrayList<>();
        for (WastCommand c : all) {
            if (c instanceof WastCommand.AssertModule a && MALFORMED_IN_2_0_INVALID_IN_3_0.contains(file + ":" + c.line())) {
                nowInvalid.add(a);
            } else if (c instanceof WastCommand.AssertModule a && SUPERSEDED_BY_3_0.containsKey(file + ":" + c.line())) {
                superseded.add(a);
            } else {
                runnable.add(c);
            }
        }
        ScriptResult r = new ScriptRunner(as20(tier)).run(runnable, file);
        for (WastCommand.AssertModule a : superseded) {
            boolean valid = SUPERSEDED_BY_3_0.get(file + ":" + a.line());
            String outcome = outcome30(a.module());
            boolean ok = valid ? outcome.equals("valid") : outcome.equals("invalid");
            r.count("superseded_by_3.0", a.line(), ok ? CommandStatus.PASSED : CommandStatus.FAILED,
                    "WebAssembly 3.0 makes this module " + (valid ? "valid" : "invalid") + ", kiln found it " + outcome);
        }
        for (WastCommand.AssertModule a : nowInvalid) {
            r.count(ScriptRunner.reportKind(a), a.line(), rejected(a.module()) ? CommandStatus.PASSED : CommandStatus.FAILED,
                    "expected the module to be rejected (\"" + a.message() + "\"), but it was accepted");
        }
        return r;
    }

    /**
     * The tier as the 2.0 suite needs it: the suite expects WebAssembly 2.0's verdicts, so binaries
     * whose encodings a 3.0 proposal gave a meaning (a memory index, 64-bit limits, a wider constant
     * expression) are judged by kiln's 2.0 decoder and validator instead of being set aside; only
     * SIMD is still not executed where the tier does not execute it.
     */
    private static WastTier as20(WastTier tier) {
        EnumSet<WasmFeature> features = EnumSet.allOf(WasmFeature.class);
        for (WasmFeature f : List.of(WasmFeature.SIMD, WasmFeature.RELAXED_SIMD)) {
            if (!tier.executes().contains(f)) features.remove(f);
        }
        return new WastTier() {
            @Override
            public String name() {
                return tier.name();
            }

            @Override
            public Set<WasmFeature> executes() {
                return features;
            }

            @Override
            public Store newStore() {
                return tier.newStore();
            }
        };
    }

    /** "valid", "invalid" or "malformed": what kiln's decoder and validator make of a module. */
    private static String outcome30(WastModule m) {
        try {
            Validator.validate(Decoder.decode(m.compile().binary()));
            return "valid";
        } catch (InvalidModuleException e) {
            return "invalid";
        } catch (TextFormatException | ModuleException e) {
            return "malformed";
        }
    }

    /** True when kiln rejects a module's text, or its binary as malformed or invalid. */
    private static boolean rejected(WastModule m) {
        try {
            Validator.validate(Decoder.decode(m.compile().binary()));
            return false;
        } catch (TextFormatException | ModuleException e) {
            return true;
        }
    }

    private static ScriptResult run30(WastTier tier, String relative) throws IOException {
        Path file = wastDir().resolve(relative);
        List<WastCommand> commands = WastParser.parse(Files.readAllBytes(file), relative);
        return new ScriptRunner(tier).run(commands, relative);
    }

    private static void check(WastTier tier, ScriptResult r, List<ScriptResult> results, SpecFloor floor) {
        results.add(r);
        System.out.println(summaryLine(tier.name(), r));
        String below = floor.check(r);
        if (!r.failures().isEmpty()) {
            r.failures().forEach(f -> System.out.println("  FAILED " + r.file() + ":" + f.line() + " " + f.kind() + ": " + f.detail()));
            ScriptResult.Failure first = r.failures().get(0);
            fail(r.failures().size() + " command(s) failed in " + r.file() + ", first: " + r.file() + ":" + first.line() + " "
                    + first.kind() + ": " + first.detail());
        }
        if (below != null) fail(below);
    }

    static String summaryLine(String tier, ScriptResult r) {
        StringBuilder sb = new StringBuilder(String.format("%-9s %-40s passed %5d  failed %4d  not run %5d", tier, r.file(),
                r.total(CommandStatus.PASSED), r.total(CommandStatus.FAILED), r.total(CommandStatus.NOT_RUN)));
        if (!r.notRunReasons().isEmpty()) sb.append("  (not run: ").append(reasons(r.notRunReasons())).append(')');
        return sb.toString();
    }

    private static String reasons(Map<String, Integer> reasons) {
        List<String> parts = new ArrayList<>();
        reasons.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static DynamicTest summary(WastTier tier, String suite, Path report, List<ScriptResult> results, SpecFloor floor) {
        return DynamicTest.dynamicTest(tier.name() + " " + suite + " summary", () -> {
            int passed = results.stream().mapToInt(r -> r.total(CommandStatus.PASSED)).sum();
            int failed = results.stream().mapToInt(r -> r.total(CommandStatus.FAILED)).sum();
            int notRun = results.stream().mapToInt(r -> r.total(CommandStatus.NOT_RUN)).sum();
            Map<String, Integer> reasons = new TreeMap<>();
            for (ScriptResult r : results) r.notRunReasons().forEach((k, v) -> reasons.merge(k, v, Integer::sum));
            System.out.printf("%-9s %s TOTAL %d files: passed %d, failed %d, not run %d%s -> %s%n", tier.name(), suite,
                    results.size(), passed, failed, notRun, reasons.isEmpty() ? "" : " (" + reasons(reasons) + ")",
                    report.toAbsolutePath());
            SpecReport.write(report, tier.name(), results);
            if (SpecFloor.raising()) floor.raise(results);
        });
    }
}
