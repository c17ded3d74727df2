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
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cache hit runs from the object's text mapped from the file: the module is decoded without its
 * bodies, functions bind when first called (only those), calls between them are direct, and a text
 * block that fails its digest when first used never runs; metadata is checked block by block when first
 * read, and a function's blocks before it binds: the functions damaged metadata describes never run from
 * the cache but from the module's Wasm (compiled, or interpreted on auto), the others run from the
 * cache, and the entry is removed for the next run to rebuild.
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
     * {@code run} (a store and a constant), then {@value #LOADERS} functions of 100 loads each, the last
     * exported as {@code last}: a trap site per load gives the trap tables more than one 64 KiB metadata
     * block, the last of them holding only the last function's sites. With {@code callback}, the module
     * imports {@code env.cb} and exports {@code viaHost}, which calls it (native code calling into the runtime).
     */
    private static final int LOADERS = 300;

    private static byte[] manyTrapSites(boolean callback) {
        StringBuilder wat = new StringBuilder("(module");
        if (callback) wat.append(" (import \"env\" \"cb\" (func $cb (result i32)))");
        wat.append(" (memory (export \"memory\") 1)"
                + " (func (export \"run\") (result i32) (i32.store (i32.const 16) (i32.const 7)) (i32.const 42))");
        if (callback) wat.append(" (func (export \"viaHost\") (result i32) (i32.add (call $cb) (i32.const 1000)))");
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

    /** {@code module}'s entry in {@code cache}, compiled, and {@code bad}, the same damaged in the last function's trap table. */
    private record DamagedEntry(byte[] module, CodeCache cache, Path entry, byte[] bad) {
        /** Writes the damaged entry and opens the module from it: a hit, nothing hashed up front. */
        WasmModule hit(Tier tier, List<String> warnings) throws Exception {
            Files.write(entry, bad);
            NativeCompiler.Opened opened = NativeCompiler.open(module, "m", cache, false, warnings::add, tier, CodeOptions.DEFAULT);
            assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome(), "nothing is hashed up front: " + warnings);
            assertEquals(List.of(), warnings);
            return opened.module();
        }
    }

    private DamagedEntry damagedInItsLastTrapTable(byte[] module) throws Exception {
        CodeCache cache = new CodeCache(dir);
        NativeCompiler.prepare(WasmModule.of(module), cache, true, w -> fail(w), Tier.NATIVE);
        Path entry = cache.pathOf(NativeCompiler.identity(WasmModule.of(module), Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
        MappedObject o = MappedObject.open(entry);
        assertTrue(o.metadataSize() > 65_536, "the trap tables span more than one block: " + o.metadataSize());
        byte[] bad = Files.readAllBytes(entry);
        bad[(int) (o.metadataFileOffset() + o.metadataSize() - 1)] ^= 1;
        return new DamagedEntry(module, cache, entry, bad);
    }

    /**
     * {@code last} of {@code module}, whose metadata is damaged, ran from code compiled from the Wasm
     * (native), or in the interpreter (auto): never from the mapped object.
     */
    private static void neverRanFromTheCache(WasmModule module, Store store, Tier tier, int boundFromCache) {
        int last = module.validated().module().functionCount() - 1;
        NativeModule code = module.existingNativeCode(Backends.host().cpu(), CodeOptions.DEFAULT);
        TierReport report = TierReport.of(module, store, 5);
        assertEquals(boundFromCache, report.boundFromCache(), tier + ": the functions whose metadata is intact only");
        if (tier == Tier.NATIVE) {
            assertNotEquals(0, code.address(last), "compiled from the module's Wasm and bound");
            assertNull(NativeCodeMemory.get(store.backend()).mappedObjectAt(code.address(last)), "not the cached code");
            assertEquals(1, report.compiled(), "last only");
        } else {
            assertEquals(0, code.address(last), "interpreted");
            assertTrue(report.interpreted() >= 1, report.toString());
        }
    }

    @Test
    void damagedMetadataMakesOnlyTheFunctionsItDescribesRunFromTheWasmAndTheNextRunRebuilds() throws Exception {
        DamagedEntry damaged = damagedInItsLastTrapTable(manyTrapSites(false));
        Path entry = damaged.entry();
        for (Tier tier : List.of(Tier.NATIVE, Tier.AUTO)) {
            List<String> warnings = new ArrayList<>();
            WasmModule opened = damaged.hit(tier, warnings);
            try (Store store = new Store().tier(tier)) {
                Instance i = store.instantiate(opened, new Imports());
                assertArrayEquals(new long[] {42}, i.function("run").call(), tier + ": a function whose metadata is intact runs from the cache");
                assertArrayEquals(new long[] {7 + 9}, i.function("last").call(0), tier + ": the damaged function's result, from the Wasm");
                assertEquals(List.of("kiln: metadata block 1 of " + entry + " is damaged; the functions it describes run from the"
                        + " module's Wasm instead (entry removed; the next run rebuilds it)"), warnings, tier.toString());
                assertFalse(Files.exists(entry), "removed");
                assertArrayEquals(new long[] {7 + 9}, i.function("last").call(0), tier + ": again, without another warning");
                assertEquals(1, warnings.size(), warnings.toString());
                neverRanFromTheCache(opened, store, tier, 1);
            }
            assertFalse(opened.existingNativeCode(Backends.host().cpu(), CodeOptions.DEFAULT).hasNewCode(),
                    "nothing of the damaged object is written back");
        }
        // the next run finds no entry and rebuilds it whole
        NativeCompiler.Opened next = NativeCompiler.open(damaged.module(), "m", damaged.cache(), true, w -> fail(w), Tier.NATIVE,
                CodeOptions.DEFAULT);
        assertEquals(NativeCompiler.Outcome.COMPILED_AND_STORED, next.outcome());
        MappedObject.open(entry).checkAllMetadata();
    }

    @Test
    void aDamagedFunctionCalledFromNativeCodeThroughTheRuntimeRunsFromTheWasm() throws Exception {
        DamagedEntry damaged = damagedInItsLastTrapTable(manyTrapSites(true));
        Path entry = damaged.entry();
        for (Tier tier : List.of(Tier.NATIVE, Tier.AUTO)) {
            List<String> warnings = new ArrayList<>();
            WasmModule opened = damaged.hit(tier, warnings);
            AtomicReference<Instance> self = new AtomicReference<>();
            // cached viaHost (native code) calls the host, which calls last: its binding finds the damage under native code
            HostFunction cb = new HostFunction("env", "cb", FunctionType.returning(ValueType.I32),
                    (caller, args) -> self.get().function("last").call(0));
            try (Store store = new Store().tier(tier)) {
                Instance i = store.instantiate(opened, new Imports().define(cb, store));
                self.set(i);
                assertArrayEquals(new long[] {42}, i.function("run").call());
                assertArrayEquals(new long[] {1000 + 7 + 9}, i.function("viaHost").call(), tier.toString());
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).contains("is damaged; the functions it describes run from the module's Wasm instead"), warnings.get(0));
                assertFalse(Files.exists(entry), "removed");
                neverRanFromTheCache(opened, store, tier, 2); // run and viaHost, not last
            }
        }
    }
}
