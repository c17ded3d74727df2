package dev.kiln.cli;

import dev.kiln.interpreter.UnsupportedFeatureException;
import dev.kiln.ir.code.FunctionTooLargeException;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.ElfReader;
import dev.kiln.linker.ModuleHashMemo;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.GlobalType;
import dev.kiln.runtime.ImportType;
import dev.kiln.runtime.IncompatibleCodeException;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.MemoryType;
import dev.kiln.runtime.ProcessExit;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.TableType;
import dev.kiln.runtime.TagType;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmException;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmModuleException;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.CompilerBuildId;
import dev.kiln.runtime.internal.NativeCompiler;
import dev.kiln.runtime.internal.StartupPhases;
import dev.kiln.runtime.wasi.WasiPreview1;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * {@code kiln run [OPTIONS] [--invoke NAME] FILE [ARGS...]}, shaped like {@code wasmtime run}:
 * with {@code --invoke} it calls that export with ARGS parsed by its parameter types and prints
 * the results one per line; otherwise it runs {@code _start} with ARGS as the program's arguments.
 */
final class RunCommand extends CliCommand implements TrailingArguments {
    /** Exit code for a trap, as wasmtime uses on Unix (128 + SIGABRT). */
    static final int TRAP_EXIT = 134;

    @Option(name = "--invoke", metaVar = "NAME", usage = "call this exported function instead of _start")
    String invoke;

    @Option(name = "--float-bits", usage = "--invoke: print f32/f64 results as their raw IEEE bits in hex (as arguments take them)")
    boolean floatBits;

    @Option(name = "--tier", metaVar = "TIER", usage = "auto (default: cached code binds lazily, hot functions are compiled), native, or interp")
    String tier = "auto";

    @Option(name = "--hot-calls", metaVar = "N", usage = "auto tier: calls that make a function hot (default " + Engine.DEFAULT_HOT_CALLS + ")")
    int hotCalls = Engine.DEFAULT_HOT_CALLS;

    @Option(name = "--hot-loops", metaVar = "N", usage = "auto tier: loop back-edges that make a function hot (default " + Engine.DEFAULT_HOT_LOOPS + ")")
    int hotLoops = Engine.DEFAULT_HOT_LOOPS;

    @Option(name = "--jit-sync", usage = "auto tier: compile hot functions on the calling thread (deterministic)")
    boolean jitSync;

    @Option(name = "--stats", metaVar = "FORMAT", usage = "at exit print what the tiers did on stderr: --stats (text) or --stats=json")
    String stats;

    /** Options that may stand alone, meaning "=text" (args4j needs a value). */
    static final Set<String> OPTIONAL_VALUE = Set.of("--stats");

    @Option(name = "--cache-dir", metaVar = "DIR", usage = "code cache directory (default: KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)")
    Path cacheDir;

    @Option(name = "--no-cache", usage = "neither read nor write the code cache")
    boolean noCache;

    @Option(name = "--no-cache-write", usage = "read the code cache but do not add to it")
    boolean noCacheWrite;

    @Option(name = "--preload", metaVar = "NAME=FILE",
            usage = "instantiate the module FILE first (in order given) and make its exports importable as NAME.<export>; repeatable")
    List<String> preloads = new ArrayList<>();

    @Argument(metaVar = "FILE", usage = "module (.wasm or .wat), or an object made by kiln compile -o; ARGS follow it", required = true)
    Path file;

    /** A module given by --preload and the name its exports are imported under. */
    private record Preload(String name, Path file, WasmModule module) {
    }

    private final List<Preload> preloaded = new ArrayList<>();

    private List<String> args = new ArrayList<>();

    /** --dir, --env, --inherit-env: used when the module imports WASI preview 1. */
    final WasiOptions wasi = new WasiOptions();

    /** --fuel, --timeout, --max-memory, --max-table-elements. */
    final LimitOptions limits = new LimitOptions();

    @Override
    public List<Object> optionGroups() {
        return List.of(wasi, limits);
    }

    @Override
    public void trailing(List<String> rest) {
        args = rest;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a module's _start (a WASI program: ARGS are its arguments), or one export with --invoke";
    }

    @Override
    public String synopsis() {
        return "FILE [ARGS...]";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        Tier chosen = switch (tier) {
            case "interp" -> Tier.INTERP;
            case "native" -> Tier.NATIVE;
            case "auto" -> Tier.AUTO;
            default -> null;
        };
        if (chosen == null) {
            err.println("kiln run: unknown tier '" + tier + "' (auto, native or interp)");
            return Main.USAGE;
        }
        if (hotCalls < 1 || hotLoops < 1) {
            err.println("kiln run: --hot-calls and --hot-loops must be at least 1");
            return Main.USAGE;
        }
        if (limits.problem() != null) {
            err.println("kiln run: " + limits.problem());
            return Main.USAGE;
        }
        for (String p : preloads) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                err.println("kiln run: --preload takes NAME=FILE, got '" + p + "'");
                return Main.USAGE;
            }
        }
        if (chosen != Tier.INTERP && CodeTarget.host().isEmpty()) chosen = Tier.INTERP; // no native backend here
        Engine engine;
        try {
            engine = Engine.builder().tier(chosen).hotCalls(hotCalls).hotLoops(hotLoops).compileInBackground(!jitSync)
                    .fuel(limits.fuel != null).compileBudget(limits.compileBudget()).warnings(err::println).precompiledCode(null)
                    .cacheDirectory(noCache || chosen == Tier.INTERP ? null : CacheOptions.directory(cacheDir))
                    .cacheWrite(!noCacheWrite).build();
        } catch (UnsupportedOperationException e) {
            err.println(file + ": cannot run natively: " + e.getMessage());
            return 1;
        }
        CodeCache cache = noCache || chosen == Tier.INTERP ? null : CacheOptions.open(cacheDir);
        StartupPhases.mark("engine");
        WasmModule module;
        try {
            for (String p : preloads) {
                int eq = p.indexOf('=');
                Path preloadFile = Path.of(p.substring(eq + 1));
                try {
                    preloaded.add(new Preload(p.substring(0, eq), preloadFile, load(engine, chosen, preloadFile, err)));
                } catch (WasmModuleException e) {
                    err.println(preloadFile + ": " + e.category() + " module: " + e.getMessage());
                    return 1;
                } catch (IncompatibleCodeException e) {
                    err.println(preloadFile + ": cannot run the object: " + e.getMessage());
                    return 1;
                }
            }
            // the module's hash, remembered from an earlier run while the file is unchanged (before and after reading it)
            String buildId = cache == null ? null : CompilerBuildId.get();
            StartupPhases.mark("buildid");
            byte[] hash = cache == null ? null : ModuleHashMemo.lookup(cache.directory(), file, buildId);
            StartupPhases.mark("hashmemo");
            // a cache hit of an unchanged binary module reads the file without its function bodies
            WasmModule hit = hash == null ? null
                    : NativeCompiler.openCached(file, hash, file.getFileName().toString(), cache, err::println, limits.codeOptions());
            byte[] raw = hit != null && Arrays.equals(hash, ModuleHashMemo.lookup(cache.directory(), file, buildId)) ? null
                    : ModuleFiles.readBytes(file, err);
            StartupPhases.mark("open");
            if (raw == null) {
                module = hit;
            } else if (ElfReader.looksLikeElf(raw)) {
                module = object(engine, chosen, file, raw, err);
            } else {
                byte[] bytes = ModuleFiles.binary(raw, file, err);
                if (hash != null && !Arrays.equals(hash, ModuleHashMemo.lookup(cache.directory(), file, buildId))) hash = null;
                if (cache != null && hash == null) {
                    hash = BuildIdentity.sha256(bytes);
                    ModuleHashMemo.store(cache.directory(), file, buildId, hash);
                }
                String name = file.getFileName().toString();
                if (chosen == Tier.INTERP) {
                    module = engine.compile(bytes, name);
                } else {
                    // a cache hit decodes only what lies outside function bodies and maps the cached code
                    module = NativeCompiler.open(bytes, hash, name, cache, !noCacheWrite, err::println, chosen, limits.codeOptions()).module();
                }
            }
        } catch (ModuleFiles.Reported e) {
            return 1;
        } catch (WasmModuleException e) {
            err.println(file + ": " + e.category() + " module: " + e.getMessage());
            return 1;
        } catch (UnsupportedOperationException e) {
            err.println(file + ": cannot run natively: " + e.getMessage());
            return 1;
        } catch (IncompatibleCodeException e) {
            err.println(file + ": cannot run the object: " + e.getMessage());
            return 1;
        } catch (FunctionTooLargeException e) {
            err.println(file + ": cannot run natively: " + e.getMessage() + " (raise it with --compile-budget, or use --tier auto)");
            return 1;
        }
        Store store = engine.newStore();
        limits.apply(store);
        StartupPhases.mark("store");
        Runnable stuck = !ownProcess ? null : () -> {
            err.println(file + ": wasm trap: interrupted");
            err.print(limits.describeInterruption());
            err.println("kiln run: the program did not stop within " + LimitOptions.STOP_GRACE_MILLIS
                    + " ms (blocked in a call that cannot be interrupted); exiting");
            err.flush();
            Runtime.getRuntime().halt(TRAP_EXIT);
        };
        try (AutoCloseable timeout = limits.startTimeout(store, stuck)) {
            return execute(module, store, out, err);
        } finally {
            if (chosen == Tier.AUTO) engine.writeBack(module);
            if (stats != null) {
                TierReport report = TierReport.of(module, store, 10);
                if (stats.equals("json")) {
                    err.println(report.json());
                } else {
                    err.print(report.text());
                }
            }
            store.close();
        }
    }

    /** A --preload module: an object made by {@code kiln compile -o}, or a module compiled as the engine says. */
    private static WasmModule load(Engine engine, Tier tier, Path f, PrintStream err) throws ModuleFiles.Reported {
        byte[] raw = ModuleFiles.readBytes(f, err);
        if (ElfReader.looksLikeElf(raw)) return object(engine, tier, f, raw, err);
        return engine.compile(ModuleFiles.binary(raw, f, err), f.getFileName().toString());
    }

    /** The module inside an object of {@code kiln compile -o}, running the object's code (never compiled again). */
    private static WasmModule object(Engine engine, Tier tier, Path f, byte[] raw, PrintStream err) throws ModuleFiles.Reported {
        if (tier == Tier.INTERP) {
            err.println(f + ": is a native object (made by kiln compile -o); it runs on the native or auto tier, not --tier interp");
            throw new ModuleFiles.Reported();
        }
        return engine.precompiledObject(raw, f.getFileName().toString());
    }

    private int execute(WasmModule module, Store store, PrintStream out, PrintStream err) throws Exception {
        Imports imports = new Imports();
        boolean wasiImported = WasiOptions.importedBy(module) || preloaded.stream().anyMatch(p -> WasiOptions.importedBy(p.module()));
        try (WasiPreview1 host = wasiImported ? wasi.link(file, args, out, err, imports, store) : null) {
            for (Preload p : preloaded) {
                List<String> missing = missingImports(p.module(), imports);
                if (!missing.isEmpty()) {
                    err.println(p.file() + ": cannot instantiate: kiln provides no import named " + String.join(", ", missing));
                    return 1;
                }
                Instance instance;
                try {
                    instance = store.instantiate(p.module(), imports);
                } catch (LinkException e) {
                    err.println(p.file() + ": cannot instantiate: " + e.getMessage());
                    return 1;
                }
                initializeReactor(instance);
                imports.defineInstance(p.name(), instance);
            }
            List<String> missing = missingImports(module, imports);
            if (!missing.isEmpty()) {
                err.println(file + ": cannot instantiate: kiln provides no import named " + String.join(", ", missing));
                return 1;
            }
            StartupPhases.mark("wasi");
            Instance instance = store.instantiate(module, imports);
            StartupPhases.mark("instance");
            String entry = invoke != null ? invoke : "_start";
            if (!entry.equals(REACTOR_INIT)) initializeReactor(instance);
            FunctionInstance f = instance.findFunction(entry).orElse(null);
            if (f == null) {
                if (invoke == null) return 0; // no _start: instantiation (and the start section) was the program
                err.println(file + ": no exported function named '" + entry + "'");
                return 1;
            }
            FunctionType t = f.type();
            long[] raw;
            if (invoke != null) {
                if (args.size() != t.params().size()) {
                    err.println("kiln run: '" + entry + "' takes " + t.params().size() + " argument(s) " + t + ", got " + args.size());
                    return Main.USAGE;
                }
                LongStream.Builder slots = LongStream.builder();
                for (int i = 0; i < args.size(); i++) {
                    try {
                        for (long v : ValueText.parseSlots(args.get(i), ValueText.machineType(t.params().get(i)))) slots.add(v);
                    } catch (RuntimeException e) {
                        err.println("kiln run: argument " + (i + 1) + " '" + args.get(i) + "' is not a valid " + t.params().get(i)
                                + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""));
                        return Main.USAGE;
                    }
                }
                raw = slots.build().toArray();
            } else {
                raw = new long[0];
            }
            long[] results = f.call(raw);
            int at = 0;
            for (ValueType<?> r : t.results()) {
                out.println(r.equals(ValueType.V128) ? ValueText.formatV128(results[at], results[at + 1])
                        : ValueText.format(results[at], ValueText.machineType(r), floatBits));
                at += r.rawSlots();
            }
            return 0;
        } catch (WasmTrap trap) {
            // damaged cached code met below a call from native code into the runtime (binding a function there)
            if (trap.getCause() instanceof DamagedObjectException e) return damaged(e, out, err);
            out.flush();
            err.println(file + ": " + trap.describe());
            if (trap.kind() == TrapKind.INTERRUPTED) err.print(limits.describeInterruption());
            return TRAP_EXIT;
        } catch (WasmException e) {
            out.flush();
            err.println(file + ": " + e.getMessage());
            return TRAP_EXIT;
        } catch (ProcessExit exit) {
            out.flush();
            return exit.code();
        } catch (WasiOptions.Invalid e) {
            err.println("kiln run: " + e.getMessage());
            return e.exitCode;
        } catch (LinkException e) {
            err.println(file + ": cannot instantiate: " + e.getMessage());
            return 1;
        } catch (DamagedObjectException e) {
            return damaged(e, out, err);
        } catch (UnsupportedFeatureException e) {
            err.println(file + ": " + e.getMessage());
            return 1;
        }
    }

    /** Cached code turned out damaged when first used (it never ran): say so and remove the entry. */
    private int damaged(DamagedObjectException e, PrintStream out, PrintStream err) throws IOException {
        out.flush();
        boolean removed = e.path() != null && Files.deleteIfExists(e.path());
        err.println(file + ": " + e.getMessage() + (removed ? " (entry removed; the next run rebuilds it)" : ""));
        return 1;
    }

    private static List<String> missingImports(WasmModule module, Imports imports) {
        List<String> missing = new ArrayList<>();
        for (ImportType i : module.imports()) {
            if (!imports.contains(i.module(), i.name())) {
                missing.add(i.module() + "." + i.name() + (i.type() instanceof FunctionType ? "" : " (" + kindOf(i) + ")"));
            }
        }
        return missing;
    }

    private static String kindOf(ImportType i) {
        return switch (i.type()) {
            case MemoryType m -> "memory";
            case TableType t -> "table";
            case GlobalType g -> "global";
            case TagType x -> "tag";
            default -> "func";
        };
    }

    /** The export a reactor initializes itself with. */
    private static final String REACTOR_INIT = "_initialize";

    /** A reactor (a module exporting {@code _initialize}) initializes itself before anything else runs, as under wasmtime run. */
    private static void initializeReactor(Instance instance) {
        instance.findFunction(REACTOR_INIT).ifPresent(init -> init.call());
    }
}
