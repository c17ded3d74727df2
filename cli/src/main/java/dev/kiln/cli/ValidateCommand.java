package dev.kiln.cli;

import dev.kiln.frontend.BranchHints;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;

import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code kiln validate FILE...}: decode and validate; exit 0 when every file is valid, else 1. */
final class ValidateCommand extends CliCommand {
    @Argument(metaVar = "FILE", usage = "modules (.wasm or .wat)", required = true, multiValued = true)
    List<Path> files = new ArrayList<>();

    @Option(name = "--quiet", aliases = "-q", usage = "print nothing for valid modules")
    boolean quiet;

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "decode and validate modules (exit 0 when all are valid, 1 otherwise)";
    }

    @Override
    public String synopsis() {
        return "FILE...";
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        int bad = 0;
        for (Path f : files) {
            try {
                ValidatedModule v = ModuleFiles.load(f, err);
                // a bad custom section never makes a module invalid: a warning, as wasm-tools gives
                for (ModuleException p : v.module().branchHints().problems(v.module())) {
                    err.println(f + ": warning: custom section " + BranchHints.SECTION_NAME + " ignored: " + p.getMessage());
                }
                if (!quiet) out.println(f + ": valid");
            } catch (ModuleFiles.Reported e) {
                bad++;
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
