package dev.kiln.cli;

import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WastParser;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Tier;
import dev.kiln.wast.CommandStatus;
import dev.kiln.wast.RuntimeTier;
import dev.kiln.wast.ScriptResult;
import dev.kiln.wast.ScriptRunner;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kiln wast [--tier T] FILE.wast...}: runs spec scripts as {@code wasmtime wast} does. One
 * line per failed command (file:line, what was expected, what happened), a summary per file and
 * in total; commands that need a feature kiln does not execute yet are counted as not run, by
 * feature. Exit status 1 when a command failed or a script could not be read.
 */
final class WastCommandLine extends CliCommand {
    @Argument(metaVar = "FILE", usage = "spec scripts (.wast)", required = true, multiValued = true)
    List<Path> files = new ArrayList<>();

    @Option(name = "--tier", metaVar = "TIER", usage = "interp (default), native or auto")
    String tier = "interp";

    @Option(name = "--quiet", aliases = "-q", usage = "print failures and the total only")
    boolean quiet;

    @Override
    public String name() {
        return "wast";
    }

    @Override
    public String summary() {
        return "run WebAssembly spec scripts (.wast); exit 1 when a command fails";
    }

    @Override
    public String synopsis() {
        return "FILE.wast...";
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        RuntimeTier t;
        try {
            t = RuntimeTier.named(tier);
        } catch (IllegalArgumentException e) {
            err.println("kiln wast: " + e.getMessage());
            return Main.USAGE;
        }
        if (t.tier() != Tier.INTERP && CodeTarget.host().isEmpty()) {
            err.println("kiln wast: no native code generator for this machine; use --tier interp");
            return Main.USAGE;
        }
        ScriptRunner runner = new ScriptRunner(t);
        int passed = 0;
        int failed = 0;
        int notRun = 0;
        int unreadable = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (Path f : files) {
            ScriptResult r;
            try {
                r = runner.run(WastParser.parse(ModuleFiles.readBytes(f, err), f.toString()), f.toString());
            } catch (ModuleFiles.Reported e) {
                unreadable++;
                continue;
            } catch (TextFormatException e) {
                err.println(e.getMessage());
                unreadable++;
                continue;
            }
            for (ScriptResult.Failure fl : r.failures()) out.println(f + ":" + fl.line() + ": " + fl.kind() + ": " + fl.detail());
            int p = r.total(CommandStatus.PASSED);
            int x = r.total(CommandStatus.FAILED);
            int n = r.total(CommandStatus.NOT_RUN);
            passed += p;
            failed += x;
            notRun += n;
            r.notRunReasons().forEach((k, v) -> reasons.merge(k, v, Integer::sum));
            if (!quiet) out.println(f + ": passed " + p + ", failed " + x + ", not run " + n + reasons(r.notRunReasons()));
        }
        out.println("total: " + files.size() + " scripts, passed " + passed + ", failed " + failed + ", not run " + notRun
                + reasons(reasons) + (unreadable > 0 ? ", " + unreadable + " scripts unreadable" : "") + " (tier " + t.name() + ")");
        return failed == 0 && unreadable == 0 ? 0 : 1;
    }

    private static String reasons(Map<String, Integer> reasons) {
        if (reasons.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        reasons.forEach((k, v) -> parts.add(k + " " + v));
        return " (" + String.join(", ", parts) + ")";
    }
}
