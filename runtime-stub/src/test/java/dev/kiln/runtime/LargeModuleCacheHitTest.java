package dev.kiln.runtime;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.ModuleBytes;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.LinkedObjectWriter;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cache hit of a module of 50 000 functions does work in proportion to the functions it touches,
 * counted, not timed: no function body is validated, a function object is made only for an export (a
 * table element gets a descriptor, no object), and only the function entered from Java is bound (its callees run by direct calls and
 * through the table's descriptors).
 */
class LargeModuleCacheHitTest {
    private static final int FUNCTIONS = 50_000;
    /** For the native tier, whose cache entry holds every function (compiled here, so fewer). */
    private static final int NATIVE_FUNCTIONS = 3_000;

    @TempDir
    Path dir;

    /**
     * {@code run} (function 0) returns {@code f1() + table[0]()}; function k returns k mod 64; the
     * table holds functions 2, 3 and 4. So run returns 1 + 2.
     */
    private static byte[] module(int count) {
        ModuleBytes functions = ModuleBytes.contents().u32(count);
        ModuleBytes code = ModuleBytes.contents().u32(count);
        for (int f = 0; f < count; f++) {
            functions.u32(0);
            if (f == 0) {
                code.u32(10).bytes(0x00, 0x10, 0x01, 0x41, 0x00, 0x11, 0x00, 0x00, 0x6A, 0x0B);
            } else {
                code.u32(4).bytes(0x00, 0x41, f % 64, 0x0B);
            }
        }
        return ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0x00, 0x01, 0x7F))
                .section(3, functions)
                .section(4, ModuleBytes.contents().u32(1).bytes(0x70, 0x00).u32(3))
                .section(7, ModuleBytes.contents().u32(1).u32(3).bytes('r', 'u', 'n', 0x00).u32(0))
                .section(9, ModuleBytes.contents().u32(1).bytes(0x00, 0x41, 0x00, 0x0B).u32(3).u32(2).u32(3).u32(4))
                .section(10, code)
                .build();
    }

    /** Fills the cache with an object holding the code of functions 0, 1 and 2 only (as the auto tier writes back what ran). */
    private static void cacheSomeFunctions(byte[] bytes, CodeCache cache) throws Exception {
        WasmModule full = WasmModule.of(bytes, "many");
        ValidatedModule vm = NativeCompiler.validated(full);
        Module m = vm.module();
        Backend backend = Backends.host();
        SymbolNames names = SymbolNames.of(m);
        List<MachineCode> code = new ArrayList<>();
        for (int f = 0; f <= 2; f++) code.add(backend.compile(vm, names, f, CodeOptions.DEFAULT, false));
        BuildIdentity id = NativeCompiler.identity(full, backend.cpu(), CodeOptions.DEFAULT);
        cache.storeMapped(id, LinkedObjectWriter.write(id, m.functionCount(), code, NativeCompiler.linking(backend, names)));
    }

    @Test
    void aHitOfFiftyThousandFunctionsMakesObjectsForAndBindsOnlyWhatItTouches() throws Exception {
        assumeTrue(Target.host() == Target.X86_64 || Target.host() == Target.AARCH64);
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(FUNCTIONS);
        CodeCache cache = new CodeCache(dir);
        cacheSomeFunctions(bytes, cache);

        NativeCompiler.Opened opened = NativeCompiler.open(bytes, "many", cache, false, w -> fail(w), Tier.AUTO, CodeOptions.DEFAULT);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome());
        assertFalse(opened.module().validated().bodiesValidated(), "a hit validates no function body");
        try (Store store = new Store().tier(Tier.AUTO)) {
            Instance instance = store.instantiate(opened.module(), new Imports());
            assertEquals(1, instance.definedFunctionObjects(), "an object for the export only (the table's elements have descriptors), not for "
                    + FUNCTIONS + " functions");
            assertArrayEquals(new long[] {3}, instance.function("run").call());
            assertEquals(1, instance.definedFunctionObjects(), "direct and indirect calls make no function objects");
            TierReport report = TierReport.of(opened.module(), store, 5);
            assertEquals(1, report.boundFromCache(), "only run, entered from Java, is bound");
            assertEquals(0, report.interpreted(), "every function that ran came from the cache");
            assertEquals(0, report.compiled());
        }
    }

    @Test
    void aNativeTierHitOfAWholeObjectBindsOnlyTheEnteredFunctionAndMakesObjectsOnlyForWhatItTouches() throws Exception {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(NATIVE_FUNCTIONS);
        CodeCache cache = new CodeCache(dir);
        WasmModule full = WasmModule.of(bytes, "many");
        Backend backend = Backends.host();
        cache.storeMapped(NativeCompiler.identity(full, backend.cpu(), CodeOptions.DEFAULT),
                NativeCompiler.cacheObject(full, backend, CodeOptions.DEFAULT, n -> { }));

        NativeCompiler.Opened opened = NativeCompiler.open(bytes, "many", cache, false, w -> fail(w), Tier.NATIVE, CodeOptions.DEFAULT);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome());
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance instance = store.instantiate(opened.module(), new Imports());
            assertEquals(1, instance.definedFunctionObjects(), "the export only");
            assertArrayEquals(new long[] {3}, instance.function("run").call());
            TierReport report = TierReport.of(opened.module(), store, 5);
            assertEquals(1, report.boundFromCache(), "the native tier binds a whole cached object lazily too");
            assertEquals(0, report.compiled(), "nothing compiled on a hit");
        }
    }
}
