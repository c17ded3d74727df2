package dev.kiln.linker;

import dev.kiln.ir.code.Target;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One entry of {@link CodeCache#list()}. For an entry that does not verify, {@code problem} says why
 * and the fields read from the object ({@code target} .. {@code compiledCount}) are null or zero.
 *
 * @param functionCount the module's number of functions
 * @param compiledCount how many of them the entry holds native code for
 */
public record CacheEntry(CacheKey key, Path path, long size, Instant modified, Target target, String moduleHashHex,
                         String buildId, int functionCount, int compiledCount, String problem) {
    /** True when the entry verified. */
    public boolean valid() {
        return problem == null;
    }
}
