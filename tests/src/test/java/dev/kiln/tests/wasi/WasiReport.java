package dev.kiln.tests.wasi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WASI suite's results: a table in the build output and {@code tests/target/wasi-report.json}:
 * <pre>
 * {"suite": DIR, "time_limit_seconds": N, "seconds": total,
 *  "tiers": {"interp": {"passed": N, "failed": N, "not_applicable": N, "seconds": S},
 *            "x86_64": {...}},
 *  "not_run_tiers": {"tier": "why"},
 *  "cases": {"rust/fd_readdir": {"interp": {"status": "passed", "exit_code": 0, "ms": 120},
 *                                "x86_64": {"status": "failed", "reason": "...", "exit_code": 1,
 *                                           "ms": 480, "compile_ms": 390, "stdout": "...", "stderr": "..."}}},
 *  "not_applicable": {"case": "why"}}
 * </pre>
 */
public final class WasiReport {
    public static final Path PATH = Path.of("target", "wasi-report.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int OUTPUT_EXCERPT = 4000;

    private final Path suite;
    private final List<WasiTier> tiers;
    private final Map<String, String> notRunTiers;
    private final List<WasiOutcome> outcomes = new ArrayList<>();
    private final long started = System.nanoTime();

    public WasiReport(Path suite, List<WasiTier> tiers, Map<String, String> notRunTiers) {
        this.suite = suite;
        this.tiers = tiers;
        this.notRunTiers = notRunTiers;
    }

    public synchronized void add(WasiOutcome o) {
        outcomes.add(o);
    }

    public synchronized List<WasiOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    private long count(String tier, WasiOutcome.Status s) {
        return outcomes.stream().filter(o -> o.tier().equals(tier) && o.status() == s).count();
    }

    private double seconds(String tier) {
        return outcomes.stream().filter(o -> o.tier().equals(tier) && o.result() != null)
                .mapToLong(o -> o.result().totalNanos()).sum() / 1e9;
    }

    /** The table: one row per case, one column per tier; then totals, failures and cases not applicable. */
    public synchronized void print(PrintStream out) {
        Map<String, Map<String, WasiOutcome>> byCase = byCase();
        int width = Math.max(40, byCase.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder b = new StringBuilder();
        b.append("\nWASI preview 1 suite (").append(suite).append("): ").append(byCase.size()).append(" cases\n");
        b.append(String.format("%-" + width + "s", "case"));
        for (WasiTier t : tiers) b.append(String.format("%-22s", t.name()));
        b.append('\n');
        for (var e : byCase.entrySet()) {
            b.append(String.format("%-" + width + "s", e.getKey()));
            for (WasiTier t : tiers) {
                WasiOutcome o = e.getValue().get(t.name());
                String cell = o == null ? "-" : switch (o.status()) {
                    case PASSED -> String.format("pass %6.2f s", o.result().totalNanos() / 1e9);
                    case FAILED -> o.result() == null ? "FAIL" : String.format("FAIL %6.2f s", o.result().totalNanos() / 1e9);
                    case NOT_APPLICABLE -> "n/a";
                };
                b.append(String.format("%-22s", cell));
            }
            b.append('\n');
        }
        b.append(String.format("%-" + width + "s", "TOTAL"));
        for (WasiTier t : tiers) {
            b.append(String.format("%-22s", count(t.name(), WasiOutcome.Status.PASSED) + "/" + byCase.size() + " passed"));
        }
        b.append('\n');
        for (WasiTier t : tiers) {
            b.append(String.format("  %-8s passed %d, failed %d, not applicable %d, %.1f s%n", t.name(),
                    count(t.name(), WasiOutcome.Status.PASSED), count(t.name(), WasiOutcome.Status.FAILED),
                    count(t.name(), WasiOutcome.Status.NOT_APPLICABLE), seconds(t.name())));
        }
        notRunTiers.forEach((t, why) -> b.append("  ").append(t).append(": not run: ").append(why).append('\n'));
        Map<String, String> na = notApplicable();
        b.append(na.isEmpty() ? "  not applicable: none (no case needs a network peer)\n" : "  not applicable:\n");
        na.forEach((c, why) -> b.append("    ").append(c).append(": ").append(why).append('\n'));
        for (WasiOutcome o : outcomes) {
            if (o.status() == WasiOutcome.Status.FAILED) {
                b.append("  FAILED ").append(o.tier()).append(' ').append(o.caseId()).append(": ")
                        .append(o.reason().replace("\n", "\n      ")).append('\n');
            }
        }
        b.append(String.format("  suite wall time %.1f s, report: %s%n", (System.nanoTime() - started) / 1e9, PATH.toAbsolutePath()));
        out.print(b);
        out.flush();
    }

    private Map<String, Map<String, WasiOutcome>> byCase() {
        Map<String, Map<String, WasiOutcome>> byCase = new LinkedHashMap<>();
        for (WasiOutcome o : outcomes) byCase.computeIfAbsent(o.caseId(), k -> new LinkedHashMap<>()).put(o.tier(), o);
        return byCase;
    }

    private Map<String, String> notApplicable() {
        Map<String, String> na = new LinkedHashMap<>();
        for (WasiOutcome o : outcomes) if (o.status() == WasiOutcome.Status.NOT_APPLICABLE) na.putIfAbsent(o.caseId(), o.reason());
        return na;
    }

    /** Writes the JSON report (atomically). */
    public synchronized void write(Path path) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("suite", suite.toString());
        root.put("time_limit_seconds", WasiSuite.timeLimit().toSeconds());
        root.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        ObjectNode ts = root.putObject("tiers");
        for (WasiTier t : tiers) {
            ObjectNode n = ts.putObject(t.name());
            n.put("passed", count(t.name(), WasiOutcome.Status.PASSED));
            n.put("failed", count(t.name(), WasiOutcome.Status.FAILED));
            n.put("not_applicable", count(t.name(), WasiOutcome.Status.NOT_APPLICABLE));
            n.put("seconds", Math.round(seconds(t.name()) * 100) / 100.0);
        }
        ObjectNode notRun = root.putObject("not_run_tiers");
        notRunTiers.forEach(notRun::put);
        ObjectNode cases = root.putObject("cases");
        byCase().forEach((id, perTier) -> {
            ObjectNode c = cases.putObject(id);
            perTier.forEach((tier, o) -> {
                ObjectNode n = c.putObject(tier);
                n.put("status", o.status().text);
                if (o.reason() != null) n.put("reason", o.reason());
                WasiExecution.Result r = o.result();
                if (r != null) {
                    if (r.exitCode() != null) n.put("exit_code", r.exitCode());
                    n.put("ms", r.totalNanos() / 1_000_000);
                    if (r.compileNanos() > 0) n.put("compile_ms", r.compileNanos() / 1_000_000);
                    if (r.trap() != null) n.put("trap", r.trap());
                    n.put("wasi_calls", r.hostCalls());
                    if (o.status() == WasiOutcome.Status.FAILED) {
                        n.put("stdout", excerpt(r.stdoutText()));
                        n.put("stderr", excerpt(r.stderrText()));
                    }
                }
            });
        });
        ObjectNode na = root.putObject("not_applicable");
        notApplicable().forEach(na::put);
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String excerpt(String s) {
        return s.length() <= OUTPUT_EXCERPT ? s : s.substring(0, OUTPUT_EXCERPT) + "... (" + s.length() + " chars)";
    }
}
