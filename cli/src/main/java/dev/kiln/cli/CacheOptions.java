package dev.kiln.cli;

import dev.kiln.linker.CacheLocation;
import dev.kiln.linker.CodeCache;

import java.nio.file.Path;

/** Where the code cache lives: --cache-dir, else KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln. */
final class CacheOptions {
    private CacheOptions() {
    }

    static CodeCache open(Path flag) {
        return new CodeCache(directory(flag));
    }

    static Path directory(Path flag) {
        return CacheLocation.resolve(flag == null ? null : flag.toString(), System.getenv(), System.getProperty("user.home"));
    }
}
