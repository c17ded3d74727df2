package dev.kiln.linker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a cache entry: SHA-256, in lower-case hex, over the module hash, the compiler build
 * id, the target and the options string. Each part is length-prefixed, so no two different
 * identities encode to the same bytes.
 */
public record CacheKey(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final byte[] DOMAIN = "kiln-cache-key-v1".getBytes(StandardCharsets.US_ASCII);

    public CacheKey {
        Objects.requireNonNull(hex, "hex");
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a cache key is 64 lower-case hex digits, got '" + hex + "'");
        }
    }

    /** The key of {@code identity}. */
    public static CacheKey of(BuildIdentity identity) {
        MessageDigest sha = BuildIdentity.newSha256();
        part(sha, DOMAIN);
        part(sha, identity.moduleHash());
        part(sha, identity.buildId().getBytes(StandardCharsets.UTF_8));
        part(sha, identity.target().id.getBytes(StandardCharsets.UTF_8));
        part(sha, identity.options().getBytes(StandardCharsets.UTF_8));
        return new CacheKey(HexFormat.of().formatHex(sha.digest()));
    }

    /** Parses a key (e.g. a cache file's name without its extension); null when it is not one. */
    public static CacheKey parseOrNull(String s) {
        return s != null && HEX64.matcher(s).matches() ? new CacheKey(s) : null;
    }

    private static void part(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
        sha.update(bytes);
    }

    @Override
    public String toString() {
        return hex;
    }
}
