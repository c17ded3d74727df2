package dev.kiln.linker;

import dev.kiln.ir.code.Target;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a compiled object was built from: the SHA-256 of the module bytes, the compiler build id,
 * the target and the compiler options. It is recorded in every object's {@code .kiln.meta} and
 * determines the object's {@link CacheKey}; an object is only ever used for the identity it records.
 */
public final class BuildIdentity {
    /** Length of the module hash in bytes (SHA-256). */
    public static final int MODULE_HASH_LENGTH = 32;

    private final byte[] moduleHash;
    private final String buildId;
    private final Target target;
    private final String options;

    /**
     * @param moduleHash SHA-256 of the module bytes (32 bytes; copied)
     * @param buildId    identifies the compiler that produced the code; any change to code generation must change it
     * @param target     the architecture the code is for
     * @param options    the compiler options that affect code generation, in a canonical string form
     */
    public BuildIdentity(byte[] moduleHash, String buildId, Target target, String options) {
        Objects.requireNonNull(moduleHash, "moduleHash");
        if (moduleHash.length != MODULE_HASH_LENGTH) {
            throw new IllegalArgumentException("module hash must be " + MODULE_HASH_LENGTH + " bytes (SHA-256), got " + moduleHash.length);
        }
        this.moduleHash = moduleHash.clone();
        this.buildId = requireWellFormed(buildId, "buildId");
        this.target = Objects.requireNonNull(target, "target");
        this.options = requireWellFormed(options, "options");
    }

    /** Strings are stored as UTF-8, so an unpaired surrogate (which UTF-8 cannot carry) is refused. */
    private static String requireWellFormed(String s, String what) {
        Objects.requireNonNull(s, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i);
            }
        }
        return s;
    }

    /** The identity of code compiled from {@code moduleBytes} (hashes them). */
    public static BuildIdentity ofModule(byte[] moduleBytes, String buildId, Target target, String options) {
        return new BuildIdentity(sha256(moduleBytes), buildId, target, options);
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A copy of the module hash. */
    public byte[] moduleHash() {
        return moduleHash.clone();
    }

    /** The module hash in lower-case hex. */
    public String moduleHashHex() {
        return HexFormat.of().formatHex(moduleHash);
    }

    public String buildId() {
        return buildId;
    }

    public Target target() {
        return target;
    }

    public String options() {
        return options;
    }

    /** The cache key for this identity. */
    public CacheKey cacheKey() {
        return CacheKey.of(this);
    }

    /** True when {@code hash} equals this identity's module hash. */
    public boolean hasModuleHash(byte[] hash) {
        return MessageDigest.isEqual(moduleHash, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildIdentity b && Arrays.equals(moduleHash, b.moduleHash) && buildId.equals(b.buildId)
                && target == b.target && options.equals(b.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(moduleHash), buildId, target, options);
    }

    @Override
    public String toString() {
        return "BuildIdentity[module=" + moduleHashHex() + ", buildId=" + buildId + ", target=" + target + ", options=" + options + "]";
    }
}
