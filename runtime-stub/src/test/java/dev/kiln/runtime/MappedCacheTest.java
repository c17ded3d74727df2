package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cache hit runs from the object's text mapped from the file: the module is decoded without its
 * bodies, functions bind when first called (only those), calls between them are direct, and a text
 * block that fails its digest when first used never runs; metadata is checked block by block when first
 * read, and a function's blocks before it binds: damaged metadata stops the functions it describes,
 * which never run, while the others run from the cache.
 */
class MappedCacheTest {
    private static final byte[] MODULE = Wat.compile("""
            (module
              (memory (export "memory") 1)
              (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func $mid (param i32) (result i32) (call $leaf (call $leaf (local.get 0))))
              (func (export "run") (param i32) (result i32)
                (i32.store (i32.const 16) (i32.const 7))
                (call $mid (local.get 0)))
              (func (export "other") (result i32) (i32.const 5)))
            """);

    @TempDir
    Path dir;

    @BeforeEach
    void nativeHost() {
        assumeTrue(Target.host() == Target.X86_64, "the native tier runs on x86-64 here");
    }

    private Path compiled(CodeCache cache) {
        NativeCompiler.prepare(WasmModule.of(MODULE), cache, true, w -> fail(w), Tier.NATIVE);
        return cache.pathOf(NativeCompiler.identity(WasmModule.of(MODULE), Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
    }

    @Test
    void aHitDecodesNoBodiesAndBindsOnlyWhatRuns() throws Exception {
        CodeCache cache = new CodeCache(dir);
        compiled(cache);
        NativeCompiler.Opened opened = NativeCompiler.open(MODULE, "m", cache, true, w -> fail(w), Tier.NATIVE, CodeOptions.DEFAULT);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome());
        assertFalse(opened.module().validated().bodiesValidated(), "a hit trusts the validation that made the entry");
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(opened.module(), new Imports());
            assertArrayEquals(new long[] {12}, i.function("run").call(10));
            TierReport r = TierReport.of(opened.module(), store, 5);
            assertEquals(1, r.boundFromCache(), "only the entered function is bound; its callees are reached by direct calls");
        }
    }

    @Test
    void instantiationDescribesOnlyImportsAndFunctionsCodeCanReference() throws Exception {
        CodeCache cache = new CodeCache(dir);
        compiled(cache);
        WasmModule module = NativeCompiler.open(MODULE, "m", cache, true, w -> fail(w), Tier.NATIVE, CodeOptions.DEFAULT).module();
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(module, new Imports());
            assertEquals(2, i.filledDescriptors(), "only the two exports (possible ref.func targets) have descriptors: not $leaf nor $mid");
            assertNotEquals(0, i.funcref(2), "the export's");
            assertArrayEquals(new long[] {12}, i.function("run").call(10), "calls among undescribed functions run");
            assertEquals(2, i.filledDescriptors(), "direct calls need no descriptor");
        }
    }

    @Test
    void aDamagedTextBlockNeverRuns() throws Exception {
        CodeCache cache = new CodeCache(dir);
        Path entry = compiled(cache);
        MappedObject o = MappedObject.open(entry);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[(int) (o.textFileOffset() + o.textSize() - 1)] ^= 1; // filler at the block's end: it still must not run
        Files.write(entry, bytes);
        NativeCompiler.Opened opened = NativeCompiler.open(MODULE, "m", cache, true, w -> fail(w), Tier.NATIVE, CodeOptions.DEFAULT);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome(), "the headers are intact");
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(opened.module(), new Imports());
            DamagedObjectException e = assertThrows(DamagedObjectException.class, () -> i.function("run").call(10));
            assertEquals(entry, e.path());
            assertEquals(0, i.memory("memory").readInt(16), "no instruction of the damaged block ran");
        }
    }

    /**
     * {@code run} (function 0: a store and a constant), then {@value #LOADERS} functions of 100 loads each,
     * the last exported as {@code last}: a trap site per load gives the trap tables more than one 64 KiB
     * metadata blocks, the last of them holding only the last function's sites.
     */
    private static final int LOADERS = 300;

    private static byte[] manyTrapSites() {
        StringBuilder wat = new StringBuilder("(module (memory (export \"memory\") 1)"
                + " (func (export \"run\") (result i32) (i32.store (i32.const 16) (i32.const 7)) (i32.const 42))");
        for (int f = 1; f <= LOADERS; f++) {
            wat.append(" (func").append(f == LOADERS ? " (export \"last\")" : "").append(" (param i32) (result i32) (local i32)")
                    .append(" (i32.store (i32.const 20) (i32.const 9))");
            for (int k = 0; k < 100; k++) {
                wat.append(" (local.set 1 (i32.add (local.get 1) (i32.load offset=").append(4 * k).append(" (local.get 0))))");
            }
            wat.append(" (local.get 1))");
        }
        return Wat.compile(wat.append(")").toString());
    }

    @Test
    void damagedMetadataStopsOnlyTheFunctionsItDescribesWhichNeverRun() throws Exception {
        byte[] module = manyTrapSites();
        CodeCache cache = new CodeCache(dir);
        NativeCompiler.prepare(WasmModule.of(module), cache, true, w -> fail(w), Tier.NATIVE);
        Path entry = cache.pathOf(NativeCompiler.identity(WasmModule.of(module), Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
        MappedObject o = MappedObject.open(entry);
        assertTrue(o.metadataSize() > 65_536, "the trap tables span more than one block: " + o.metadataSize());
        byte[] bad = Files.readAllBytes(entry);
        bad[(int) (o.metadataFileOffset() + o.metadataSize() - 1)] ^= 1; // in the last function's trap table
        Files.write(entry, bad);
        for (Tier tier : List.of(Tier.NATIVE, Tier.AUTO)) {
            List<String> warnings = new ArrayList<>();
            NativeCompiler.Opened opened = NativeCompiler.open(module, "m", cache, false, warnings::add, tier, CodeOptions.DEFAULT);
            assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome(), "nothing is hashed up front: " + warnings);
            assertEquals(List.of(), warnings);
            try (Store store = new Store().tier(tier)) {
                Instance i = store.instantiate(opened.module(), new Imports());
                assertArrayEquals(new long[] {42}, i.function("run").call(), tier + ": a function whose metadata is intact runs from the cache");
                assertEquals(7, i.memory("memory").readInt(16));
                DamagedObjectException e = assertThrows(DamagedObjectException.class, () -> i.function("last").call(0), tier.toString());
                assertEquals(entry, e.path());
                assertTrue(e.getMessage().contains("metadata block") && e.getMessage().contains("is damaged"), e.getMessage());
                assertEquals(0, i.memory("memory").readInt(20), tier + ": the damaged function never ran");
                assertEquals(1, TierReport.of(opened.module(), store, 5).boundFromCache(), "run only");
            }
        }
    }
}
