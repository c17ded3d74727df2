package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storing, loading, listing, verifying and clearing cache entries; bad entries are reported, removed, never returned. */
class CodeCacheTest {
    @TempDir
    Path dir;

    private static final BuildIdentity X64 = SampleCode.identity(Target.X86_64);

    private CodeCache cache() {
        return new CodeCache(dir.resolve("kiln"));
    }

    @Test
    void storedObjectsLoadVerified() throws Exception {
        CodeCache cache = cache();
        assertInstanceOf(CacheLookup.Miss.class, cache.load(X64));
        CacheKey key = cache.store(SampleCode.x64Object());
        assertEquals(X64.cacheKey(), key);
        assertTrue(Files.isRegularFile(cache.pathOf(key)));
        var hit = assertInstanceOf(CacheLookup.Hit.class, cache.load(X64));
        SampleCode.assertSameCode(SampleCode.x64Functions(), hit.object().functions());
        assertEquals(cache.pathOf(key), hit.path());
        // another identity is another key: a miss
        assertInstanceOf(CacheLookup.Miss.class, cache.load(new BuildIdentity(X64.moduleHash(), "other-build", Target.X86_64, "opt=2")));
        assertInstanceOf(CacheLookup.Miss.class, cache.load(SampleCode.identity(Target.AARCH64)));
    }

    @Test
    void storeRefusesCorruptOrMismatchedObjects() throws Exception {
        CodeCache cache = cache();
        byte[] bad = SampleCode.x64Object();
        bad[100] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> cache.store(bad));
        CacheKey otherKey = SampleCode.identity(Target.AARCH64).cacheKey();
        var e = assertThrows(IllegalArgumentException.class, () -> cache.store(otherKey, SampleCode.x64Object()));
        assertTrue(e.getMessage().contains("was built for key"), e.getMessage());
        cache.store(X64.cacheKey(), SampleCode.x64Object());
        assertInstanceOf(CacheLookup.Hit.class, cache.load(X64));
    }

    private void corruptionIsReportedAndRemoved(byte[] entryBytes, String expectedReason) throws Exception {
        CodeCache cache = cache();
        cache.store(SampleCode.x64Object());
        Path entry = cache.pathOf(X64.cacheKey());
        Files.write(entry, entryBytes);
        var corrupt = assertInstanceOf(CacheLookup.Corrupt.class, cache.load(X64));
        assertTrue(corrupt.reason().contains(expectedReason), corrupt.reason());
        assertTrue(corrupt.reason().contains(entry.toString()), "the reason names the file: " + corrupt.reason());
        assertTrue(corrupt.removed());
        assertFalse(Files.exists(entry));
        assertInstanceOf(CacheLookup.Miss.class, cache.load(X64));
        // the caller rebuilds
        cache.store(SampleCode.x64Object());
        assertInstanceOf(CacheLookup.Hit.class, cache.load(X64));
    }

    @Test
    void aFlippedByteIsReportedRemovedAndRebuilt() throws Exception {
        byte[] b = SampleCode.x64Object();
        b[66] ^= 0x40; // inside the code of add
        corruptionIsReportedAndRemoved(b, "integrity digest mismatch");
    }

    @Test
    void aTruncatedEntryIsReportedRemovedAndRebuilt() throws Exception {
        byte[] b = SampleCode.x64Object();
        corruptionIsReportedAndRemoved(Arrays.copyOf(b, b.length / 2), "e_shoff");
        corruptionIsReportedAndRemoved(new byte[0], "shorter than an ELF64 header");
    }

    @Test
    void anEntryForAnotherIdentityIsReportedAndRemoved() throws Exception {
        byte[] other = ElfWriter.write(new BuildIdentity(X64.moduleHash(), "kiln-test-1", Target.X86_64, "opt=0"), 5,
                SampleCode.x64Functions());
        corruptionIsReportedAndRemoved(other, "was built for BuildIdentity[");
    }

    @Test
    void listShowsEntriesAndProblems() throws Exception {
        CodeCache cache = cache();
        assertEquals(List.of(), cache.list());
        cache.store(SampleCode.x64Object());
        BuildIdentity a64 = SampleCode.identity(Target.AARCH64);
        cache.store(ElfWriter.write(a64, 3, SampleCode.a64Functions()));
        Files.writeString(cache.directory().resolve("README"), "not an entry");
        Files.writeString(cache.directory().resolve("0".repeat(64) + ".o"), "junk");
        List<CacheEntry> entries = cache.list();
        assertEquals(3, entries.size());
        CacheEntry x = entries.stream().filter(e -> X64.cacheKey().equals(e.key())).findFirst().orElseThrow();
        assertTrue(x.valid());
        assertEquals(Target.X86_64, x.target());
        assertEquals(X64.moduleHashHex(), x.moduleHashHex());
        assertEquals("kiln-test-1", x.buildId());
        assertEquals(5, x.functionCount());
        assertEquals(3, x.compiledCount());
        assertEquals(Files.size(cache.pathOf(X64.cacheKey())), x.size());
        assertTrue(x.modified().isAfter(Instant.now().minusSeconds(600)));
        CacheEntry junk = entries.get(0);
        assertEquals("0".repeat(64), junk.key().hex());
        assertFalse(junk.valid());
        assertNull(junk.target());
        assertTrue(junk.problem().contains("shorter than an ELF64 header"), junk.problem());
    }

    @Test
    void verifyRemovesBadEntriesAndStaleTemporaryFiles() throws Exception {
        CodeCache cache = cache();
        cache.store(SampleCode.x64Object());
        cache.store(ElfWriter.write(SampleCode.identity(Target.AARCH64), 3, SampleCode.a64Functions()));
        Path junk = cache.directory().resolve("f".repeat(64) + ".o");
        Files.writeString(junk, "junk");
        // an entry renamed to another key
        Path misplaced = cache.directory().resolve("e".repeat(64) + ".o");
        Files.copy(cache.pathOf(X64.cacheKey()), misplaced);
        Path staleTemp = cache.directory().resolve("." + "a".repeat(64) + ".123.tmp");
        Files.writeString(staleTemp, "half");
        Files.setLastModifiedTime(staleTemp, FileTime.from(Instant.now().minus(CodeCache.STALE_TEMPORARY).minusSeconds(60)));
        Path freshTemp = cache.directory().resolve("." + "b".repeat(64) + ".456.tmp");
        Files.writeString(freshTemp, "being written");
        Path unrelated = cache.directory().resolve("notes.txt");
        Files.writeString(unrelated, "mine");

        CacheVerification v = cache.verify();
        assertEquals(2, v.validEntries());
        assertEquals(3, v.problems().size(), v.toString());
        assertTrue(v.problems().stream().allMatch(CacheVerification.Problem::removed));
        assertFalse(Files.exists(junk));
        assertFalse(Files.exists(misplaced));
        assertFalse(Files.exists(staleTemp));
        assertTrue(Files.exists(freshTemp), "a write in progress is left alone");
        assertTrue(Files.exists(unrelated));
        assertEquals(2, cache.list().size());

        assertEquals(2, cache.clear());
        assertEquals(List.of(), cache.list());
        assertFalse(Files.exists(freshTemp));
        assertTrue(Files.exists(unrelated), "clear removes only the cache's own files");
    }

    @Test
    void anOversizedEntryIsCorruptWithoutBeingRead() throws Exception {
        CodeCache cache = cache();
        cache.store(SampleCode.x64Object());
        Path entry = cache.pathOf(X64.cacheKey());
        try (var ch = FileChannel.open(entry, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), CodeCache.MAX_ENTRY_SIZE + 1); // sparse
        }
        var corrupt = assertInstanceOf(CacheLookup.Corrupt.class, cache.load(X64));
        assertTrue(corrupt.reason().contains("byte limit"), corrupt.reason());
        assertFalse(Files.exists(entry));
    }

    @Test
    void storeReplacesAndLeavesNoTemporaryFiles() throws Exception {
        CodeCache cache = cache();
        cache.store(SampleCode.x64Object());
        byte[] second = ElfWriter.write(X64, 5, List.of(SampleCode.x64Add(0, "only")));
        cache.store(second);
        var hit = assertInstanceOf(CacheLookup.Hit.class, cache.load(X64));
        assertEquals(List.of("only"), hit.object().functions().stream().map(m -> m.symbol()).toList());
        assertArrayEquals(second, Files.readAllBytes(cache.pathOf(X64.cacheKey())));
        try (var files = Files.list(cache.directory())) {
            assertEquals(List.of(cache.pathOf(X64.cacheKey())), files.toList());
        }
    }
}
