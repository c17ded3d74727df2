package dev.kiln.runtime;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CacheLookup;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.CorruptObjectException;
import dev.kiln.linker.ElfReader;
import dev.kiln.linker.ElfWriter;
import dev.kiln.linker.KilnObject;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.CompilerBuildId;

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
 *
 * <p>Not API: kiln's own tools and tests use it; embedders use {@link Engine}.
 */
public final class NativeCompiler {
    private NativeCompiler() {
    }

    /** What cached code for {@code module} on {@code target} compiled with {@code options} is filed under. */
    public static BuildIdentity identity(WasmModule module, Target target, CodeOptions options) {
        return BuildIdentity.ofModule(module.validated().module().bytes(), CompilerBuildId.get(), target, options.key());
    }

    /** Compiles every defined function; {@code progress} receives the number done after each. */
    static List<MachineCode> compileAll(ValidatedModule vm, Backend backend, CodeOptions options, boolean listing,
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

    /** The ELF object for a module: its identity, then every defined function, and the module itself when {@code embedModule}. */
    static byte[] object(WasmModule module, Backend backend, CodeOptions options, IntConsumer progress, boolean embedModule) {
        List<MachineCode> code = compileAll(module.validated(), backend, options, false, progress);
        byte[] bytes = module.validated().module().bytes();
        return ElfWriter.write(identity(module, backend.target(), options), module.validated().module().functionCount(), code,
                embedModule ? bytes : null);
    }

    /**
     * Uses {@code object}'s code for {@code module} after checking that it was made from exactly
     * this module, for {@code backend}'s target, with {@code options} and by this compiler build.
     */
    static void useObject(WasmModule module, byte[] object, Backend backend, CodeOptions options) {
        KilnObject parsed;
        try {
            parsed = ElfReader.read(object, backend.relocationModel());
        } catch (CorruptObjectException e) {
            throw new IncompatibleCodeException("the object is damaged: " + e.getMessage());
        }
        String problem = mismatch(parsed.identity(), identity(module, backend.target(), options), module.name());
        if (problem != null) throw new IncompatibleCodeException(problem);
        module.useNativeCode(parsed.functions(), backend, options);
    }

    /** Why code built for {@code found} must not run as {@code expected}, or null when they are the same. */
    static String mismatch(BuildIdentity found, BuildIdentity expected, String moduleName) {
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
        BuildIdentity id = identity(module, backend.target(), options);
        try {
            cache.store(id.cacheKey(), nm.object(id));
        } catch (IOException | RuntimeException e) {
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
        BuildIdentity id = identity(module, backend.target(), options);
        if (cache != null) {
            CacheLookup found = cache.load(id, backend.relocationModel());
            switch (found) {
                case CacheLookup.Hit hit -> {
                    module.useNativeCode(hit.object().functions(), backend, options);
                    return Outcome.CACHE_HIT;
                }
                case CacheLookup.Corrupt bad -> warnings.accept("kiln: ignoring corrupt cache entry " + bad.path() + ": "
                        + bad.reason() + (bad.removed() ? " (removed; rebuilding)" : " (rebuilding)"));
                case CacheLookup.Miss miss -> { }
            }
        }
        if (tier == Tier.AUTO) return Outcome.COMPILED; // nothing yet: the interpreter starts, hot code compiles later
        List<MachineCode> code = compileAll(module.validated(), backend, options, false, n -> { });
        module.useNativeCode(code, backend, options);
        if (cache == null || !write) return Outcome.COMPILED;
        try {
            cache.store(id.cacheKey(), ElfWriter.write(id, module.validated().module().functionCount(), code));
            return Outcome.COMPILED_AND_STORED;
        } catch (IOException | RuntimeException e) {
            warnings.accept("kiln: cannot write to the code cache " + cache.directory() + ": " + e.getMessage());
            return Outcome.COMPILED;
        }
    }
}
