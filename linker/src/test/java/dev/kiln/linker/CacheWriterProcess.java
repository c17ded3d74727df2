package dev.kiln.linker;

import java.nio.file.Path;

/**
 * A separate JVM for {@link CodeCacheConcurrencyTest}: stores the two variants of the shared test
 * entry alternately and loads it in between; exits with status 1 if a load ever sees a corrupt entry.
 * Arguments: cache directory, iterations.
 */
public final class CacheWriterProcess {
    private CacheWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        CodeCache cache = new CodeCache(Path.of(args[0]));
        int iterations = Integer.parseInt(args[1]);
        byte[][] variants = {CodeCacheConcurrencyTest.variant(0), CodeCacheConcurrencyTest.variant(1)};
        for (int i = 0; i < iterations; i++) {
            cache.store(variants[i % 2]);
            CacheLookup l = cache.load(CodeCacheConcurrencyTest.IDENTITY);
            if (l instanceof CacheLookup.Corrupt c) {
                System.err.println("corrupt entry seen by writer process: " + c.reason());
                System.exit(1);
            }
        }
        System.exit(0);
    }
}
