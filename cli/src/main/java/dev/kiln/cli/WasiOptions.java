package dev.kiln.cli;

import dev.kiln.runtime.ImportType;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.wasi.PreopenDir;
import dev.kiln.runtime.wasi.WasiConfig;
import dev.kiln.runtime.wasi.WasiPreview1;
import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The WASI options of {@code kiln run}, spelled as in {@code wasmtime run}, and the WASI host they
 * configure. {@link Main} adds these options to the command's own (see {@link CliCommand#optionGroups}).
 */
final class WasiOptions {
    /** The import module name of WASI preview 1. */
    static final String MODULE = "wasi_snapshot_preview1";

    @Option(name = "--dir", metaVar = "HOST[::GUEST]",
            usage = "give the program a host directory, seen by the program as GUEST (default: the HOST text); repeatable")
    List<String> dirs = new ArrayList<>();

    @Option(name = "--env", metaVar = "NAME[=VAL]",
            usage = "set an environment variable for the program (NAME alone: the value it has here); repeatable")
    List<String> env = new ArrayList<>();

    @Option(name = "--inherit-env", usage = "pass this process's whole environment to the program (before --env)")
    boolean inheritEnv;

    /** A problem with the options (a usage error) or with a preopened directory (a file error). */
    static final class Invalid extends Exception {
        final int exitCode;

        Invalid(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Whether the module imports anything from {@code wasi_snapshot_preview1}. */
    static boolean importedBy(WasmModule module) {
        for (ImportType i : module.imports()) {
            if (i.module().equals(MODULE)) return true;
        }
        return false;
    }

    /**
     * The configuration for a program run as {@code FILE ARGS...}: {@code argv[0]} is the module's file
     * name without its directories (as wasmtime gives it). The program's standard streams are the
     * process's own unless {@code out}/{@code err} are other streams (an in-process caller of
     * {@link Main#run}); standard input is always the process's.
     */
    WasiConfig config(Path file, List<String> args, PrintStream out, PrintStream err) throws Invalid {
        WasiConfig.Builder b = WasiConfig.builder()
                .programName(file.getFileName() != null ? file.getFileName().toString() : file.toString())
                .args(args)
                .inheritEnv(inheritEnv);
        for (String e : env) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? System.getenv(e) : e.substring(eq + 1);
            if (name.isEmpty()) throw new Invalid("bad --env '" + e + "': expected NAME=VALUE or NAME", Main.USAGE);
            if (value == null) continue; // --env NAME for a variable this process does not have: not set (as wasmtime)
            b.env(name, value);
        }
        for (String d : dirs) {
            try {
                b.preopen(PreopenDir.parse(d));
            } catch (IllegalArgumentException e) { // also InvalidPathException
                throw new Invalid("bad --dir '" + d + "': " + e.getMessage(), Main.USAGE);
            }
        }
        if (out != System.out) b.stdout(out);
        if (err != System.err) b.stderr(err);
        return b.build();
    }

    /**
     * Sets up the WASI host for the program and defines its functions in {@code imports}. The caller
     * closes the result when the program is done.
     */
    WasiPreview1 link(Path file, List<String> args, PrintStream out, PrintStream err, Imports imports, Store store)
            throws Invalid {
        WasiConfig config = config(file, args, out, err);
        WasiPreview1 wasi;
        try {
            wasi = new WasiPreview1(config);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage(), 1);
        }
        imports.defineAll(wasi.hostFunctions(), store);
        return wasi;
    }
}
