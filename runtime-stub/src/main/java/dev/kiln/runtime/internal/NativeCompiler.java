package dev.kiln.runtime.internal;

import dev.kiln.frontend.CodelessImage;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CompileBudget;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CacheLookup;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.CorruptObjectException;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.ElfReader;
import dev.kiln.linker.ElfWriter;
import dev.kiln.linker.KilnObject;
import dev.kiln.linker.LinkedObjectWriter;
import dev.kiln.linker.MappedObject;
import dev.kiln.linker.RegularFiles;
import dev.kiln.runtime.IncompatibleCodeException;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Compiles whole modules to native code and keeps them in the code cache: the cache key covers
 * the module bytes, the compiler build, the target and the options; a hit is used as is, a miss
 * is compiled and stored (atomically), a corrupt entry is reported, removed and rebuilt — never
 * executed.
 *
 * <p>Not API: kiln's own tools and tests use it; embedders use {@link dev.kiln.runtime.Engine}.
 * It reaches the runtime package's internals through {@link RuntimeAccess}.
 */
public final class NativeCompiler {
    private static final RuntimeAccess RUNTIME = RuntimeAccess.get();

    private NativeCompiler() {
    }

    /** The compiler's view of {@code module} (kiln's own tools and tests; embedders never need it). */
    public static ValidatedModule validated(WasmModule module) {
        return RUNTIME.validated(module);
    }

    /**
     * Bytes of native code this process holds now: placed and not yet freed (a module's code is
     * freed once the module is unreachable and its stores are closed); 0 before any native code.
     */
    public static long codeBytesInUse() {
        Backend backend = Backends.host();
        return backend == null ? 0 : RUNTIME.codeBytesInUse();
    }

    /**
     * What cached code for {@code module} compiled for {@code cpu} with {@code options} is filed
     * under. The CPU level is part of the options string, so it enters the cache key and
     * {@code .kiln.meta}.
     */
    public static BuildIdentity identity(WasmModule module, CpuFeatures cpu, CodeOptions options) {
        return identity(BuildIdentity.sha256(RUNTIME.validated(module).module().bytes()), cpu, options);
    }

    /** {@link #identity(WasmModule, CpuFeatures, CodeOptions)} of the module whose SHA-256 is {@code moduleHash}. */
    private static BuildIdentity identity(byte[] moduleHash, CpuFeatures cpu, CodeOptions options) {
        return new BuildIdentity(moduleHash, CompilerBuildId.get(), cpu.target(), optionsKey(cpu, options));
    }

    /** The options part of a cache key: the code options and the CPU level the code was compiled for. */
    public static String optionsKey(CpuFeatures cpu, CodeOptions options) {
        return options.key() + ",cpu=" + cpu.name();
    }

    /**
     * Compiles every defined function, on every core (functions are independent); {@code progress}
     * receives the number done so far, from one thread at a time. The result is in function order.
     */
    public static List<MachineCode> compileAll(ValidatedModule vm, Backend backend, CodeOptions options, boolean listing,
                                               IntConsumer progress) {
        Module m = vm.module();
        SymbolNames names = SymbolNames.of(m);
        int first = m.importedFunctionCount(), n = m.functionCount() - first;
        MachineCode[] code = new MachineCode[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / 8));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; failure.get() == null && (i = next.getAndIncrement()) < n; ) {
                try {
                    CompileBudget.check(vm, first + i, options);
                    code[i] = backend.compile(vm, names, first + i, options, listing);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
                int d = done.incrementAndGet();
                synchronized (progress) {
                    progress.accept(d);
                }
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) helpers.add(Thread.ofPlatform().name("kiln-compile-" + t).daemon().start(worker));
        worker.run();
        for (Thread t : helpers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while compiling", e);
            }
        }
        if (failure.get() != null) throw failure.get();
        return Arrays.asList(code);
    }

    /** How cached objects of {@code backend}'s target resolve calls between a module's functions. */
    public static LinkedObjectWriter.Linking linking(Backend backend, SymbolNames names) {
        return new LinkedObjectWriter.Linking(backend.relocationModel(), names::indexOf, names::of, backend::slotStub,
                backend.textFiller());
    }

    /** The relocatable ELF object for a module (for {@code kiln compile -o}): its identity, then every defined function. */
    public static byte[] object(WasmModule module, Backend backend, CodeOptions options, IntConsumer progress) {
        return object(module, backend, options, progress, false);
    }

    /** The cache object for a module (mapped format, {@link LinkedObjectWriter}): every defined function, linked. */
    public static byte[] cacheObject(WasmModule module, Backend backend, CodeOptions options, IntConsumer progress) {
        Module m = RUNTIME.validated(module).module();
        List<MachineCode> code = compileAll(RUNTIME.validated(module), backend, options, false, progress);
        return LinkedObjectWriter.write(identity(module, backend.cpu(), options), m.functionCount(), code,
                linking(backend, SymbolNames.of(m)));
    }

    /** The ELF object for a module: its identity, then every defined function, and the module itself when {@code embedModule}. */
    public static byte[] object(WasmModule module, Backend backend, CodeOptions options, IntConsumer progress, boolean embedModule) {
        List<MachineCode> code = compileAll(RUNTIME.validated(module), backend, options, false, progress);
        byte[] bytes = RUNTIME.validated(module).module().bytes();
        return ElfWriter.write(identity(module, backend.cpu(), options), RUNTIME.validated(module).module().functionCount(), code,
                embedModule ? bytes : null);
    }

    /**
     * Uses {@code object}'s code for {@code module} after checking that it was made from exactly
     * this module, for {@code backend}'s target at a CPU level this machine has, with {@code options}
     * and by this compiler build.
     */
    public static void useObject(WasmModule module, byte[] object, Backend backend, CodeOptions options) {
        useObject(module, parseObject(object, backend), backend, options);
    }

    /**
     * The module an object of {@link #object} with {@code embedModule} carries, using the object's
     * code after the checks of {@link #useObject}.
     */
    public static WasmModule moduleOfObject(byte[] object, String name, Backend backend, CodeOptions options) {
        KilnObject parsed = parseObject(object, backend);
        byte[] bytes = parsed.module().orElseThrow(() -> new IncompatibleCodeException(
                "the object does not carry its module (it was made without one; run it with the module it was compiled from)"));
        WasmModule module = WasmModule.of(bytes, name);
        useObject(module, parsed, backend, options);
        return module;
    }

    private static KilnObject parseObject(byte[] object, Backend backend) {
        try {
            return ElfReader.read(object, backend.relocationModel());
        } catch (CorruptObjectException e) {
            throw new IncompatibleCodeException("the object is damaged: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IncompatibleCodeException(e.getMessage() + " (this machine)");
        }
    }

    private static void useObject(WasmModule module, KilnObject parsed, Backend backend, CodeOptions options) {
        Backend level = levelOf(parsed.identity(), backend, options);
        String problem = mismatch(parsed.identity(), identity(module, level.cpu(), options), module.name());
        if (problem != null) throw new IncompatibleCodeException(problem);
        RUNTIME.useNativeCode(module, parsed.functions(), backend.cpu(), level, options);
    }

    /**
     * The backend of the CPU level {@code found} was compiled for, when this machine ({@code host})
     * has that level or a higher one (code for a lower level runs here too); else {@code host}.
     */
    private static Backend levelOf(BuildIdentity found, Backend host, CodeOptions options) {
        for (CpuFeatures level : CpuFeatures.levels(host.target())) {
            if (host.cpu().includes(level) && optionsKey(level, options).equals(found.options())) return Backends.forCpu(level);
        }
        return host;
    }

    /** Why code built for {@code found} must not run as {@code expected}, or null when they are the same. */
    public static String mismatch(BuildIdentity found, BuildIdentity expected, String moduleName) {
        if (!found.hasModuleHash(expected.moduleHash())) {
            return "the code was compiled from another module (SHA-256 " + found.moduleHashHex() + "), not from " + moduleName
                    + " (" + expected.moduleHashHex() + ")";
        }
        if (found.target() != expected.target()) {
            return "the code is for " + found.target() + ", this machine is " + expected.target();
        }
        if (!found.options().equals(expected.options())) {
            return "the code was compiled with options " + found.options() + ", this engine uses " + expected.options();
        }
        if (!found.buildId().equals(expected.buildId())) {
            return "the code was compiled by kiln build " + found.buildId() + ", this is " + expected.buildId()
                    + " (precompile again with this version)";
        }
        return found.equals(expected) ? null : "the code was built for " + found + ", not " + expected;
    }

    /**
     * Stores the module's native code in the cache when this run compiled any (promotion in the
     * auto tier), so the next run is a cache hit for what was compiled. Waits for the compiles running
     * first, but compiles nothing more (requests not earned yet stay uncompiled: at the end of a short
     * run they would cost more than they save, after the program's output).
     */
    public static void writeBack(WasmModule module, CodeCache cache, Consumer<String> warnings) {
        writeBack(module, cache, warnings, CodeOptions.DEFAULT);
    }

    /** {@link #writeBack(WasmModule, CodeCache, Consumer)} for code compiled with {@code options}. */
    public static void writeBack(WasmModule module, CodeCache cache, Consumer<String> warnings, CodeOptions options) {
        Backend backend = Backends.host();
        if (cache == null || backend == null) return;
        RUNTIME.awaitRunningCompiles();
        CpuFeatures level = RUNTIME.newCodeLevel(module, backend.cpu(), options);
        if (level == null) return;
        BuildIdentity id = identity(module, level, options);
        try {
            cache.storeMapped(id, RUNTIME.cacheObject(module, backend.cpu(), options, id));
        } catch (IOException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + RegularFiles.reason(e));
        } catch (RuntimeException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + e.getMessage());
        }
    }

    /**
     * Whether the guard-page handler of this machine checks mapped text blocks itself (so text is
     * mapped inaccessible and each block is checked when first used); else every block is checked
     * before the text is mapped.
     */
    public static boolean lazyTextCheck(Backend backend) {
        return RUNTIME.checksLazyText(backend);
    }

    /** Maps a cached object's text for {@code module}; returns null, or the problem when the object is damaged. */
    private static String useMapped(WasmModule module, MappedObject mapped, CpuFeatures level, Backend backend, CodeOptions options,
                                    Consumer<DamagedObjectException> onDamage) {
        boolean lazy = lazyTextCheck(backend);
        try {
            // the metadata (function rows, trap tables) is not hashed up front: each 64 KiB block is checked
            // when first read, and binding a function checks its blocks first (a function whose metadata is
            // damaged never binds or runs from the object: it is compiled from the module's Wasm on the native
            // tier, interpreted on auto; onDamage removes the entry and warns)
            if (!lazy) mapped.checkAllText();
            RUNTIME.useMappedCode(module, mapped, level, backend, options, lazy, onDamage);
            checkRowsMeanwhile(mapped);
            return null;
        } catch (DamagedObjectException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        }
    }

    /**
     * What a run does when binding finds a function's cached metadata damaged (the function then runs from
     * the module's Wasm, and the run goes on): removes the entry, so the next run rebuilds it, and warns once.
     */
    private static Consumer<DamagedObjectException> damagedWhenBound(CodeCache cache, Path entry, Consumer<String> warnings) {
        return e -> warnings.accept("kiln: " + e.getMessage() + "; the functions it describes run from the module's Wasm instead"
                + (cache.remove(entry) ? " (entry removed; the next run rebuilds it)" : ""));
    }

    /**
     * Reads every function's row of {@code mapped} on another thread, so their blocks are checked while the
     * module is instantiated: instantiation points each declared function's descriptor at its code (Yosys's
     * 10 000), reading the rows, and the first read of a block hashes it (~0.5 MB of rows for 34 000
     * functions). Damage found here is ignored: the thread that reads the row next finds it and reports it.
     */
    private static void checkRowsMeanwhile(MappedObject mapped) {
        Thread.ofPlatform().daemon().name("kiln-check-rows").start(() -> {
            try {
                for (int f = 0; f < mapped.functionCount(); f++) mapped.hasCode(f);
            } catch (RuntimeException ignored) {
                // reported where the row is needed
            }
        });
    }

    /** A module read for a tier with native code, and what was done about its code. */
    public record Opened(WasmModule module, Outcome outcome) {
    }

    /**
     * Reads a module for {@code tier} (native or auto): when the cache holds code for exactly these bytes,
     * the module was decoded and validated by this build before, so only what lies outside the function
     * bodies is decoded now and the cached code is mapped (nothing is done per function); otherwise
     * the module is decoded and validated whole and {@link #prepare}d.
     *
     * @throws dev.kiln.frontend.ModuleException when the module is malformed or invalid
     */
    public static Opened open(byte[] bytes, String name, CodeCache cache, boolean write, Consumer<String> warnings, Tier tier,
                              CodeOptions options) {
        return open(bytes, null, name, cache, write, warnings, tier, options);
    }

    /**
     * {@link #open(byte[], String, CodeCache, boolean, Consumer, Tier, CodeOptions)} with the SHA-256 of
     * {@code bytes} already known ({@code moduleHash}; null to hash them here), e.g. from a
     * {@link dev.kiln.linker.ModuleHashMemo}: a cache hit of a large module then does not hash it again.
     */
    public static Opened open(byte[] bytes, byte[] moduleHash, String name, CodeCache cache, boolean write, Consumer<String> warnings,
                              Tier tier, CodeOptions options) {
        Backend backend = Backends.host();
        if (backend == null) throw new UnsupportedOperationException("no native backend for this machine");
        if (cache != null) {
            byte[] hash = moduleHash != null ? moduleHash : BuildIdentity.sha256(bytes);
            WasmModule hit = hit(hash, cache, warnings, options, backend, () -> RUNTIME.ofTrusted(bytes, name));
            if (hit != null) return new Opened(hit, Outcome.CACHE_HIT);
        }
        WasmModule module = WasmModule.of(bytes, name);
        return new Opened(module, prepare(module, cache, write, warnings, tier, options));
    }

    /**
     * A cache hit of the binary module in {@code file}, whose SHA-256 is known to be {@code moduleHash}
     * (a {@link dev.kiln.linker.ModuleHashMemo} says so while the file is unchanged): only what lies
     * outside the function bodies is read ({@link CodelessImageReader}); the bodies are read, and the
     * whole file checked against {@code moduleHash}, only when a function is first compiled or
     * interpreted. Null when the cache has no usable entry, or the file is not a binary module: then read
     * the file whole and {@link #open} it.
     */
    public static WasmModule openCached(Path file, byte[] moduleHash, String name, CodeCache cache, Consumer<String> warnings,
                                        CodeOptions options) {
        Backend backend = Backends.host();
        if (backend == null || cache == null) return null;
        return hit(moduleHash, cache, warnings, options, backend, () -> {
            try {
                CodelessImage image = CodelessImageReader.read(file);
                return image == null ? null : RUNTIME.ofTrusted(image, () -> wholeFile(file, moduleHash), name);
            } catch (IOException | ModuleException e) {
                return null; // changed or unreadable since it was hashed: read whole, and reported, by the caller
            }
        });
    }

    /** The whole binary in {@code file}, which must still be the one hashed to {@code moduleHash}. */
    private static byte[] wholeFile(Path file, byte[] moduleHash) {
        try {
            byte[] bytes = FileBytes.read(file);
            if (!Arrays.equals(BuildIdentity.sha256(bytes), moduleHash)) {
                throw new IllegalStateException(file + " changed while kiln was running it: its function bodies are no longer "
                        + "those of the module it started (run it again)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the function bodies: " + e.getMessage(), e);
        }
    }

    /**
     * The module {@code decode} makes, running the cache's mapped code for a module of SHA-256 {@code hash},
     * or null when the cache has no such entry (a damaged one is reported and removed) or {@code decode}
     * gives null.
     */
    private static WasmModule hit(byte[] hash, CodeCache cache, Consumer<String> warnings, CodeOptions options, Backend backend,
                                  Supplier<WasmModule> decode) {
        BuildIdentity id = new BuildIdentity(hash, CompilerBuildId.get(), backend.target(), optionsKey(backend.cpu(), options));
        CacheLookup found = cache.load(id, backend.relocationModel());
        StartupPhases.mark("cache-load");
        if (found instanceof CacheLookup.Hit hit && hit.mapped() != null) {
            WasmModule module = decode.get();
            StartupPhases.mark("decode");
            if (module == null) return null;
            String problem = useMapped(module, hit.mapped(), backend.cpu(), backend, options, damagedWhenBound(cache, hit.path(), warnings));
            if (problem == null) return module;
            warnings.accept("kiln: ignoring corrupt cache entry " + hit.path() + ": " + problem
                    + (cache.remove(hit.path()) ? " (removed; rebuilding)" : " (rebuilding)"));
        } else if (found instanceof CacheLookup.Corrupt bad) {
            warnings.accept("kiln: ignoring corrupt cache entry " + bad.path() + ": "
                    + bad.reason() + (bad.removed() ? " (removed; rebuilding)" : " (rebuilding)"));
        }
        return null;
    }

    /** What {@link #prepare} did. */
    public enum Outcome { CACHE_HIT, COMPILED_AND_STORED, COMPILED }

    /**
     * Makes the module's native code available for the host target: from {@code cache} when it
     * holds a valid entry, else compiled (and stored when {@code write} is set). Problems with
     * the cache are reported through {@code warnings}, never thrown.
     */
    public static Outcome prepare(WasmModule module, CodeCache cache, boolean write, Consumer<String> warnings) {
        return prepare(module, cache, write, warnings, Tier.NATIVE);
    }

    /**
     * Like {@link #prepare(WasmModule, CodeCache, boolean, Consumer)} for a tier: the native tier
     * compiles every function on a miss; the auto tier only takes what the cache has (the rest
     * starts in the interpreter, and {@link #writeBack} stores what got compiled).
     */
    public static Outcome prepare(WasmModule module, CodeCache cache, boolean write, Consumer<String> warnings, Tier tier) {
        return prepare(module, cache, write, warnings, tier, CodeOptions.DEFAULT);
    }

    /** {@link #prepare(WasmModule, CodeCache, boolean, Consumer, Tier)} for code compiled with {@code options}. */
    public static Outcome prepare(WasmModule module, CodeCache cache, boolean write, Consumer<String> warnings, Tier tier,
                                  CodeOptions options) {
        Backend backend = Backends.host();
        if (backend == null) throw new UnsupportedOperationException("no native backend for this machine");
        return prepare(module, cache, write, warnings, tier, options, backend);
    }

    /** {@link #prepare(WasmModule, CodeCache, boolean, Consumer, Tier, CodeOptions)} on a machine of {@code backend}'s level. */
    public static Outcome prepare(WasmModule module, CodeCache cache, boolean write, Consumer<String> warnings, Tier tier,
                                  CodeOptions options, Backend backend) {
        if (cache != null) {
            byte[] hash = BuildIdentity.sha256(RUNTIME.validated(module).module().bytes()); // once, not once a level
            // the host's level first, then lower ones (code precompiled for them runs here too)
            List<CpuFeatures> levels = new ArrayList<>(CpuFeatures.levels(backend.target()));
            Collections.reverse(levels);
            for (CpuFeatures level : levels) {
                if (!backend.cpu().includes(level)) continue;
                Backend b = Backends.forCpu(level);
                CacheLookup found = cache.load(identity(hash, level, options), b.relocationModel());
                switch (found) {
                    case CacheLookup.Hit hit when hit.mapped() != null -> {
                        String problem = useMapped(module, hit.mapped(), backend.cpu(), b, options,
                                damagedWhenBound(cache, hit.path(), warnings));
                        if (problem == null) return Outcome.CACHE_HIT;
                        warnings.accept("kiln: ignoring corrupt cache entry " + hit.path() + ": " + problem
                                + (cache.remove(hit.path()) ? " (removed; rebuilding)" : " (rebuilding)"));
                    }
                    case CacheLookup.Hit hit -> {
                        RUNTIME.useNativeCode(module, hit.object().functions(), backend.cpu(), b, options);
                        return Outcome.CACHE_HIT;
                    }
                    case CacheLookup.Corrupt bad -> warnings.accept("kiln: ignoring corrupt cache entry " + bad.path() + ": "
                            + bad.reason() + (bad.removed() ? " (removed; rebuilding)" : " (rebuilding)"));
                    case CacheLookup.Miss miss -> { }
                }
            }
        }
        // nothing yet: the interpreter starts, hot code compiles later (and without a cache the module is not even hashed)
        if (tier == Tier.AUTO) return Outcome.COMPILED;
        long start = System.nanoTime();
        List<MachineCode> code = compileAll(RUNTIME.validated(module), backend, options, false, n -> { });
        RUNTIME.useCompiledCode(module, code, backend, options, System.nanoTime() - start);
        if (cache == null || !write) return Outcome.COMPILED;
        BuildIdentity id = identity(module, backend.cpu(), options);
        try {
            cache.storeMapped(id, LinkedObjectWriter.write(id, RUNTIME.validated(module).module().functionCount(), code,
                    linking(backend, SymbolNames.of(RUNTIME.validated(module).module()))));
            return Outcome.COMPILED_AND_STORED;
        } catch (IOException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + RegularFiles.reason(e));
            return Outcome.COMPILED;
        } catch (RuntimeException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + e.getMessage());
            return Outcome.COMPILED;
        }
    }
}
