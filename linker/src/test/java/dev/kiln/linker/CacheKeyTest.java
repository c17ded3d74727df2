package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cache keys and the cache location. */
class CacheKeyTest {
    private static final byte[] HASH = BuildIdentity.sha256("module".getBytes(StandardCharsets.UTF_8));

    @Test
    void everyPartOfTheIdentityChangesTheKey() {
        List<BuildIdentity> ids = List.of(
                new BuildIdentity(HASH, "b1", Target.X86_64, "o"),
                new BuildIdentity(BuildIdentity.sha256(new byte[1]), "b1", Target.X86_64, "o"),
                new BuildIdentity(HASH, "b2", Target.X86_64, "o"),
                new BuildIdentity(HASH, "b1", Target.AARCH64, "o"),
                new BuildIdentity(HASH, "b1", Target.X86_64, "O"),
                // the same characters split differently between build id and options
                new BuildIdentity(HASH, "b1o", Target.X86_64, ""),
                new BuildIdentity(HASH, "b", Target.X86_64, "1o"));
        var keys = new HashSet<CacheKey>();
        for (BuildIdentity id : ids) keys.add(id.cacheKey());
        assertEquals(ids.size(), keys.size());
        assertEquals(ids.get(0).cacheKey(), new BuildIdentity(HASH.clone(), "b1", Target.X86_64, "o").cacheKey());
    }

    @Test
    void keyIsLowerCaseHexSha256() {
        String hex = new BuildIdentity(HASH, "b", Target.X86_64, "").cacheKey().hex();
        assertTrue(hex.matches("[0-9a-f]{64}"), hex);
        assertThrows(IllegalArgumentException.class, () -> new CacheKey("ABC"));
        assertThrows(IllegalArgumentException.class, () -> new CacheKey("../" + hex.substring(3)));
        assertNull(CacheKey.parseOrNull(hex.toUpperCase()));
        assertEquals(hex, CacheKey.parseOrNull(hex).hex());
    }

    @Test
    void identityChecksItsParts() {
        assertThrows(IllegalArgumentException.class, () -> new BuildIdentity(new byte[31], "b", Target.X86_64, ""));
        assertThrows(IllegalArgumentException.class, () -> new BuildIdentity(HASH, "b\ud800", Target.X86_64, ""));
        assertThrows(NullPointerException.class, () -> new BuildIdentity(HASH, "b", null, ""));
        byte[] h = HASH.clone();
        BuildIdentity id = new BuildIdentity(h, "b", Target.X86_64, "");
        h[0] ^= 1;
        assertTrue(id.hasModuleHash(HASH), "the identity keeps its own copy of the hash");
        assertNotEquals(id, new BuildIdentity(h, "b", Target.X86_64, ""));
    }

    @Test
    void locationFollowsFlagThenEnvironmentThenXdgThenHome() {
        assertEquals(Path.of("/flag"), CacheLocation.resolve("/flag", Map.of("KILN_CACHE_DIR", "/env", "XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/env"), CacheLocation.resolve(null, Map.of("KILN_CACHE_DIR", "/env", "XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/xdg/kiln"), CacheLocation.resolve("", Map.of("KILN_CACHE_DIR", "", "XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/kiln"), CacheLocation.resolve(null, Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/kiln"), CacheLocation.resolve(null, Map.of(), "/home/u"));
    }
}
