package dev.kiln.linker;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link CodeCache#verify()}: how many entries verified, and which files were found
 * unusable and removed: corrupt or mismatched entries, and stale temporary files of interrupted writes.
 */
public record CacheVerification(int validEntries, List<Problem> problems) {
    public CacheVerification {
        problems = List.copyOf(problems);
    }

    /** A file that failed verification, why, and whether it could be removed. */
    public record Problem(Path path, String reason, boolean removed) {
    }
}
