package dev.kiln.cli;

import dev.kiln.ir.code.CompileBudget;
import dev.kiln.ir.code.FunctionTooLargeException;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.ModuleHashMemo;
import dev.kiln.linker.RegularFiles;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmModuleException;
import dev.kiln.runtime.internal.CompilerBuildId;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kiln compile FILE [-o OUT.o] [--target LEVEL|all] [--cache-dir DIR]}: compiles every
 * function into an ELF object for a CPU level ({@link CodeTarget}), stored in the code cache (or
 * written to OUT).
 */
final class CompileCommand extends CliCommand {
    @Argument(metaVar = "FILE", usage = "module (.wasm or .wat)", required = true)
    Path file;

    @Option(name = "-o", aliases = "--output", metaVar = "OUT.o", usage = "write the object here instead of the cache")
    Path output;

    @Option(name = "--target", metaVar = "TARGET", usage = "x86_64, x86_64-v2, x86_64-v3, aarch64, or all (x86_64-v2, x86_64-v3 "
            + "and aarch64); default: this machine's CPU level")
    String target;

    @Option(name = "--cache-dir", metaVar = "DIR", usage = "code cache directory (default: KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)")
    Path cacheDir;

    @Option(name = "--compile-budget", metaVar = "BYTES",
            usage = "the compiler memory one function may need, estimated from its body size (default half the JVM's heap)")
    Long compileBudget;

    @Option(name = "--fuel", usage = "compile code that meters fuel (what kiln run --fuel uses)")
    boolean fuel;

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String summary() {
        return "compile a module to native code (an ELF object in the code cache, or -o FILE)";
    }

    @Override
    public String synopsis() {
        return "FILE";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        List<CodeTarget> targets = new ArrayList<>();
        if (target == null) {
            if (CodeTarget.host().isEmpty()) {
                err.println("kiln compile: this machine has no native target; choose one with --target");
                return Main.USAGE;
            }
            targets.add(CodeTarget.host().get());
        } else if (target.equals("all")) {
            targets.addAll(List.of(CodeTarget.X86_64_V2, CodeTarget.X86_64_V3, CodeTarget.AARCH64));
        } else {
            try {
                targets.add(CodeTarget.parse(target));
            } catch (IllegalArgumentException e) {
                err.println("kiln compile: " + e.getMessage());
                return Main.USAGE;
            }
        }
        if (output != null && targets.size() > 1) {
            err.println("kiln compile: -o writes one object; use the cache (no -o) with --target all");
            return Main.USAGE;
        }
        if (compileBudget != null && compileBudget <= 0) {
            err.println("kiln compile: --compile-budget must be positive");
            return Main.USAGE;
        }
        Engine engine = Engine.builder().tier(Tier.INTERP).fuel(fuel).precompiledCode(null)
                .compileBudget(compileBudget != null ? compileBudget : CompileBudget.DEFAULT)
                .cacheDirectory(output == null ? CacheOptions.directory(cacheDir) : null).build();
        WasmModule module;
        byte[] binary;
        try {
            binary = ModuleFiles.read(file, err);
            module = engine.compile(binary, file.getFileName().toString());
        } catch (ModuleFiles.Reported e) {
            return 1;
        } catch (WasmModuleException e) {
            err.println(file + ": " + e.category() + " module: " + e.getMessage());
            return 1;
        }
        for (CodeTarget t : targets) {
            int total = module.definedFunctionCount();
            ProgressBar bar = new ProgressBar(err, "compiling " + file.getFileName() + " for " + t, total);
            long start = System.nanoTime();
            try {
                if (output != null) {
                    byte[] object = engine.precompile(module, t, bar::update);
                    double ms = (System.nanoTime() - start) / 1e6;
                    Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
                    try {
                        Files.write(tmp, object);
                        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        deleteQuietly(tmp); // never leave half an object behind
                        err.println("kiln compile: cannot write " + output + ": " + RegularFiles.reason(e));
                        return Main.FAILED;
                    }
                    out.printf("%s: %d functions compiled for %s in %.0f ms -> %s (%d bytes)%n", file, total, t, ms, output, object.length);
                } else {
                    Path entry;
                    try {
                        entry = engine.precompileToCache(module, t, bar::update);
                    } catch (IOException e) {
                        err.println("kiln compile: cannot write to the code cache " + engine.cacheDirectory() + ": " + RegularFiles.reason(e));
                        return Main.FAILED;
                    }
                    // the first kiln run of the file is then a cache hit that reads it without its function bodies
                    ModuleHashMemo.store(engine.cacheDirectory(), file, CompilerBuildId.get(), BuildIdentity.sha256(binary));
                    double ms = (System.nanoTime() - start) / 1e6;
                    out.printf("%s: %d functions compiled for %s in %.0f ms -> %s%n", file, total, t, ms, entry);
                }
            } catch (UnsupportedOperationException e) {
                err.println(file + ": cannot compile for " + t + ": " + e.getMessage());
                return 1;
            } catch (FunctionTooLargeException e) {
                err.println(file + ": cannot compile for " + t + ": " + e.getMessage() + " (raise it with --compile-budget)");
                return 1;
            }
        }
        return 0;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // reported already: the write failed
        }
    }
}
