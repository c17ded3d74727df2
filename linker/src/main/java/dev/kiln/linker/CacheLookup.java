package dev.kiln.linker;

import java.nio.file.Path;

/**
 * The outcome of {@link CodeCache#load}: a verified object, a miss, or an entry that was present but
 * unusable (corrupt, truncated, or built for another identity). An unusable entry has already been
 * removed (when possible); the caller reports {@link Corrupt#reason()} (the CLI prints it on stderr)
 * and rebuilds. Its bytes are never returned.
 */
public sealed interface CacheLookup {
    /**
     * A verified object for exactly the requested identity: a relocatable one read whole
     * ({@code object}), or one in the mapped format ({@code mapped}, its headers checked, its blocks
     * checked as they are used); the other is null.
     */
    record Hit(KilnObject object, MappedObject mapped, Path path) implements CacheLookup {
        public Hit(KilnObject object, Path path) {
            this(object, null, path);
        }
    }

    /** No entry for the key. */
    record Miss() implements CacheLookup {
    }

    /**
     * An entry that must not be used.
     *
     * @param reason  what was wrong, for the user
     * @param removed true when the entry was deleted from the cache
     */
    record Corrupt(Path path, String reason, boolean removed) implements CacheLookup {
    }
}
