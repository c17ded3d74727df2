package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Text mapped from the cache lives as long as its module can run: a service that keeps opening
 * modules from the cache and dropping them runs in bounded mappings, and the guard-page handler's
 * tables reuse the entries of unmapped texts (they once grew by two entries per module and the
 * 8 193rd module opened from the cache failed: "more than 8192 mapped cache objects").
 */
class MappedCacheLifetimeTest {
    private static final byte[] MODULE = Wat.compile("""
            (module
              (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func (export "run") (param i32) (result i32) (call $leaf (call $leaf (local.get 0)))))
            """);

    @TempDir
    Path dir;

    @BeforeEach
    void nativeHost() {
        assumeTrue(Target.host() == Target.X86_64 && Backends.host() != null, "the mapped cache runs natively on x86-64 here");
    }

    /** Mappings of {@code file} in this process (the text of each module opened from it, and the object itself). */
    private static long mappingsOf(Path file) throws IOException {
        String name = file.toRealPath().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.endsWith(" " + name)).count();
        }
    }

    /**
     * Collects until the dropped modules' texts are unmapped and the objects they were mapped from are
     * collected (the file mappings go with them: a second collection, after the cleaner released the
     * text; the cleaner thread may run late on a loaded machine).
     */
    private static void settle(NativeCodeMemory natives, int texts, Path entry, long mappings) throws Exception {
        for (int i = 0; i < 100 && (natives.mappedTextCount() > texts || mappingsOf(entry) > mappings); i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    /** Opens the cached module {@code count} times, each in a store of its own, runs it and drops both. */
    private String openAndDrop(int count) throws Exception {
        CodeCache cache = new CodeCache(dir);
        NativeCompiler.prepare(WasmModule.of(MODULE), cache, true, w -> fail(w), Tier.NATIVE);
        Path entry = cache.pathOf(NativeCompiler.identity(WasmModule.of(MODULE), Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
        NativeCodeMemory natives = NativeCodeMemory.get(Backends.host());
        settle(natives, 0, entry, 0);
        int texts0 = natives.mappedTextCount(), ranges0 = GuardPages.rangesInUse();
        long maps0 = mappingsOf(entry);
        int mostTexts = 0;
        for (int k = 0; k < count; k++) {
            NativeCompiler.Opened opened = NativeCompiler.open(MODULE, "m", cache, false, w -> fail(w), Tier.NATIVE, CodeOptions.DEFAULT);
            assertEquals(NativeCompiler.Outcome.CACHE_HIT, opened.outcome());
            try (Store store = new Store().tier(Tier.NATIVE)) {
                assertArrayEquals(new long[] {k + 2}, store.instantiate(opened.module(), new Imports()).function("run").call(k));
            }
            mostTexts = Math.max(mostTexts, natives.mappedTextCount());
        }
        settle(natives, texts0, entry, maps0);
        String report = count + " modules: mapped texts " + texts0 + " -> " + natives.mappedTextCount() + " (most at once " + mostTexts
                + "), guard ranges " + ranges0 + " -> " + GuardPages.rangesInUse() + " (table length " + GuardPages.rangeTableLength()
                + "), mappings of the entry " + maps0 + " -> " + mappingsOf(entry);
        assertEquals(texts0, natives.mappedTextCount(), "every dropped module's text is unmapped: " + report);
        assertEquals(ranges0, GuardPages.rangesInUse(), "the handler forgot every unmapped text: " + report);
        assertTrue(mappingsOf(entry) <= maps0 + 2, "no mapping of the cache entry is left behind: " + report);
        assertTrue(GuardPages.rangeTableLength() <= ranges0 + mostTexts + 2, "entries are reused: " + report);
        return report;
    }

    @Test
    void moreModulesThanTheOldTableHeldOpenFromTheCacheAndDropped() throws Exception {
        System.out.println("MappedCacheLifetimeTest: " + openAndDrop(9_000));
    }

    /** The full-size run (the slow suite). */
    @Test
    @Tag("slow")
    void twentyThousandModulesOpenFromTheCacheAndDropped() throws Exception {
        System.out.println("MappedCacheLifetimeTest: " + openAndDrop(20_000));
    }
}
