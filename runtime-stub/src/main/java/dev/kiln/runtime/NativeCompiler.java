package dev.kiln.runtime;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CacheLookup;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.ElfWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Compiles whole modules to native code and keeps them in the code cache: the cache key covers
 * the module bytes, the compiler build, the target and the options; a hit is used as is, a miss
 * is compiled and stored (atomically), a corrupt entry is reported, removed and rebuilt — never
 * executed.
 */
public final class NativeCompiler {
    private NativeCompiler() {
    }

    /**
     * Bytes of native code this process holds now: placed and not yet freed (a module's code is
     * freed once the module is unreachable and its stores are closed); 0 before any native code.
     */
    public static long codeBytesInUse() {
        Backend backend = Backends.host();
        return backend == null ? 0 : NativeCodeMemory.existing() == null ? 0 : NativeCodeMemory.existing().liveCodeBytes();
    }

    /**
     * What cached code for {@code module} compiled for {@code cpu} with {@code options} is filed
     * under. The CPU level is part of the options string, so it enters the cache key and
     * {@code .kiln.meta}.
     */
    public static BuildIdentity identity(WasmModule module, CpuFeatures cpu, CodeOptions options) {
        return BuildIdentity.ofModule(module.validated().module().bytes(), CompilerBuildId.get(), cpu.target(),
                options.key() + ",cpu=" + cpu.name());
    }

    /** Compiles every defined function; {@code progress} receives the number done after each. */
    public static List<MachineCode> compileAll(ValidatedModule vm, Backend backend, CodeOptions options, boolean listing,
                                               IntConsumer progress) {
        Module m = vm.module();
        SymbolNames names = SymbolNames.of(m);
        List<MachineCode> code = new ArrayList<>(m.functionBodies().size());
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            code.add(backend.compile(vm, names, f, options, listing));
            progress.accept(code.size());
        }
        return code;
    }

    /** The ELF object for a module: its identity, then every defined function. */
    public static byte[] object(WasmModule module, Backend backend, CodeOptions options, IntConsumer progress) {
        List<MachineCode> code = compileAll(module.validated(), backend, options, false, progress);
        return ElfWriter.write(identity(module, backend.cpu(), options), module.validated().module().functionCount(), code);
    }

    /**
     * Stores the module's native code in the cache when this run compiled any (promotion in the
     * auto tier), so the next run is a cache hit. Waits for the background compiler first.
     */
    public static void writeBack(WasmModule module, CodeCache cache, Consumer<String> warnings) {
        writeBack(module, cache, warnings, CodeOptions.DEFAULT);
    }

    /** {@link #writeBack(WasmModule, CodeCache, Consumer)} for code compiled with {@code options}. */
    public static void writeBack(WasmModule module, CodeCache cache, Consumer<String> warnings, CodeOptions options) {
        Backend backend = Backends.host();
        if (cache == null || backend == null) return;
        TierUp.drain();
        NativeModule nm = module.existingNativeCode(options);
        if (nm == null || !nm.hasNewCode()) return;
        BuildIdentity id = identity(module, nm.backend().cpu(), options);
        try {
            cache.store(id.cacheKey(), nm.object(id));
        } catch (IOException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + dev.kiln.linker.RegularFiles.reason(e));
        } catch (RuntimeException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + e.getMessage());
        }
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
    static Outcome prepare(WasmModule module, CodeCache cache, boolean write, Consumer<String> warnings, Tier tier,
                           CodeOptions options, Backend backend) {
        BuildIdentity id = identity(module, backend.cpu(), options);
        if (cache != null) {
            // the host's level first, then lower ones (code precompiled for them runs here too)
            List<CpuFeatures> levels = new ArrayList<>(CpuFeatures.levels(backend.target()));
            java.util.Collections.reverse(levels);
            for (CpuFeatures level : levels) {
                if (!backend.cpu().includes(level)) continue;
                Backend b = Backends.forCpu(level);
                CacheLookup found = cache.load(identity(module, level, options), b.relocationModel());
                switch (found) {
                    case CacheLookup.Hit hit -> {
                        module.useNativeCode(hit.object().functions(), b, options);
                        return Outcome.CACHE_HIT;
                    }
                    case CacheLookup.Corrupt bad -> warnings.accept("kiln: ignoring corrupt cache entry " + bad.path() + ": "
                            + bad.reason() + (bad.removed() ? " (removed; rebuilding)" : " (rebuilding)"));
                    case CacheLookup.Miss miss -> { }
                }
            }
        }
        if (tier == Tier.AUTO) return Outcome.COMPILED; // nothing yet: the interpreter starts, hot code compiles later
        List<MachineCode> code = compileAll(module.validated(), backend, options, false, n -> { });
        module.useNativeCode(code, backend, options);
        if (cache == null || !write) return Outcome.COMPILED;
        try {
            cache.store(id.cacheKey(), ElfWriter.write(id, module.validated().module().functionCount(), code));
            return Outcome.COMPILED_AND_STORED;
        } catch (IOException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + dev.kiln.linker.RegularFiles.reason(e));
            return Outcome.COMPILED;
        } catch (RuntimeException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + e.getMessage());
            return Outcome.COMPILED;
        }
    }
}
