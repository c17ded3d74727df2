package dev.kiln.runtime;

import dev.kiln.runtime.internal.Backends;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.internal.NativeCompiler;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cached object damaged anywhere — ELF header, section headers, code, symbols, kiln's metadata,
 * the digests; by flipped bytes, truncation or appended bytes — is never executed: damaged headers
 * are detected when the runtime opens the entry (reported, rebuilt, and the program still computes the
 * right answer); damaged metadata when the function it describes is bound (reported once, the entry removed,
 * and the functions it describes run from the module's Wasm, never from the object: the answer is still
 * right); a damaged text block when it is first used (the call fails with {@link DamagedObjectException}
 * before any of the block runs); damage the run never reads (padding,
 * the symbols kept for objdump) changes nothing. On the native tier and on the auto tier.
 */
class CacheCorruptionProperties {
    private static final byte[] MODULE = Wat.compile("""
            (module
              (memory (export "memory") 1)
              (func $fib (param i64) (result i64)
                (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (local.get 0))
                  (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                                 (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
              (func (export "run") (param i64) (result i64)
                (i64.store (i32.const 8) (call $fib (local.get 0)))
                (i64.load (i32.const 8))))
            """);
    private static Path root;
    private static byte[] good;
    /** Where the metadata the block digests cover lies in {@link #good} (function rows, trap tables). */
    private static long metadataAt, metadataSize;

    @BeforeContainer
    static void compileOnce() throws Exception {
        root = Files.createTempDirectory("kiln-cache-corruption");
        if (Backends.host() == null) return;
        CodeCache cache = new CodeCache(root.resolve("reference"));
        NativeCompiler.prepare(WasmModule.of(MODULE), cache, true, w -> { }, Tier.NATIVE);
        try (Stream<Path> s = Files.list(cache.directory())) {
            Path entry = s.filter(p -> p.toString().endsWith(CodeCache.EXTENSION)).findFirst().orElseThrow();
            good = Files.readAllBytes(entry);
            MappedObject o = MappedObject.open(entry);
            metadataAt = o.metadataFileOffset();
            metadataSize = o.metadataSize();
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A flipped byte anywhere, a flipped byte of the metadata (rows, trap tables; found when a function binds), a truncation, appended bytes. */
    enum Kind { FLIP, FLIP_METADATA, TRUNCATE, APPEND }

    record Damage(Kind kind, double at, int value) {
        byte[] apply(byte[] file) {
            if (file.length == 0) return file;
            int pos = Math.min(file.length - 1, (int) (at * file.length));
            return switch (kind) {
                case FLIP -> {
                    byte[] f = file.clone();
                    f[pos] ^= (byte) (value == 0 ? 0x80 : value);
                    yield f;
                }
                case FLIP_METADATA -> {
                    byte[] f = file.clone();
                    int in = (int) Math.min(metadataAt + (long) (at * metadataSize), file.length - 1);
                    f[in] ^= (byte) (value == 0 ? 0x80 : value);
                    yield f;
                }
                case TRUNCATE -> Arrays.copyOf(file, pos);
                case APPEND -> {
                    byte[] f = Arrays.copyOf(file, file.length + 1 + value % 16);
                    Arrays.fill(f, file.length, f.length, (byte) value);
                    yield f;
                }
            };
        }
    }

    @Provide
    Arbitrary<List<Damage>> damage() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 255))
                .as(Damage::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Tier> tiers() {
        return Arbitraries.of(Tier.NATIVE, Tier.AUTO);
    }

    private static int run = 0;

    @Property(tries = 300, seed = "20261122")
    void damagedEntriesAreDetectedReportedAndRebuilt(@ForAll("damage") List<Damage> damage, @ForAll("tiers") Tier tier)
            throws Exception {
        assumeTrue(Backends.host() != null && Target.host() == Backends.host().target(), "needs a native tier");
        byte[] bad = good;
        for (Damage d : damage) bad = d.apply(bad);
        if (Arrays.equals(bad, good)) return;
        CodeCache cache = new CodeCache(root.resolve("run" + run++));
        WasmModule m = WasmModule.of(MODULE);
        Path entry = cache.pathOf(NativeCompiler.identity(m, Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
        Files.createDirectories(entry.getParent());
        Files.write(entry, bad);
        List<String> warnings = new ArrayList<>();
        NativeCompiler.Outcome outcome = NativeCompiler.prepare(m, cache, true, warnings::add, tier);
        if (outcome == NativeCompiler.Outcome.CACHE_HIT) {
            // the headers are intact: the metadata is checked per block when its function binds, the text when first used
            assertTrue(warnings.isEmpty(), warnings.toString());
            try (Store store = new Store().tier(tier)) {
                Instance i = store.instantiate(m, new Imports());
                try {
                    assertArrayEquals(new long[] {6765}, i.function("run").call(20), "damage " + damage);
                } catch (DamagedObjectException e) {
                    assertEquals(entry, e.path());
                    assertTrue(e.getMessage().contains("block of its text") || e.getMessage().contains("text block"), e.getMessage());
                    assertEquals(0, i.memory("memory").readLong(8), "detected before any of the damaged block ran");
                    return;
                }
                if (!warnings.isEmpty()) {
                    // damaged metadata, found when a function bound: the functions it describes ran from the module's Wasm
                    assertEquals(1, warnings.size(), warnings.toString());
                    assertTrue(warnings.get(0).contains("metadata block") && warnings.get(0).contains("is damaged; the functions it"
                            + " describes run from the module's Wasm instead (entry removed; the next run rebuilds it)"), warnings.get(0));
                    assertTrue(Files.notExists(entry), "removed");
                    NativeModule code = m.existingNativeCode(Backends.host().cpu(), CodeOptions.DEFAULT);
                    for (int f = 0; f < m.validated().module().functionCount(); f++) {
                        long a = code.address(f);
                        assertTrue(a == 0 || NativeCodeMemory.get(store.backend()).mappedObjectAt(a) == null,
                                "function " + f + " never ran from the damaged object (its one metadata block)");
                    }
                    assertFalse(code.hasNewCode(), "nothing of the damaged object is written back");
                    if (tier == Tier.NATIVE) {
                        NativeCompiler.prepare(WasmModule.of(MODULE), cache, true, w -> fail(w), tier);
                        assertArrayEquals(good, Files.readAllBytes(entry), "the next run rebuilt the entry");
                    }
                    return;
                }
            }
            // the run used all of the text (one block) and all of the metadata it needed: the damage lies in bytes
            // the runtime never reads
            MappedObject.open(entry).checkAllText();
            return;
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("ignoring corrupt cache entry"), warnings.get(0));
        try (Store store = new Store().tier(tier)) {
            Instance i = store.instantiate(m, new Imports());
            assertArrayEquals(new long[] {6765}, i.function("run").call(20));
        }
        if (tier == Tier.NATIVE) assertArrayEquals(good, Files.readAllBytes(entry), "the entry was rebuilt");
        else assertTrue(Files.notExists(entry), "the auto tier removes the entry and compiles only what gets hot");
    }
}
