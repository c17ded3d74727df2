package dev.kiln.runtime.wasi;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * The access and modification times requested by {@code fd_filestat_set_times} or
 * {@code path_filestat_set_times}: a time, "now", or null for "leave unchanged".
 */
record NewTimestamps(FileTime atime, FileTime mtime) {
    /**
     * Decodes the arguments; asking for a time and "now" together is {@code EINVAL}, as wasmtime.
     * ({@code fstFlags} with undefined bits traps before this is reached.)
     */
    static NewTimestamps of(long atim, long mtim, int fstFlags) {
        return new NewTimestamps(
                one(atim, (fstFlags & WasiAbi.FSTFLAGS_ATIM) != 0, (fstFlags & WasiAbi.FSTFLAGS_ATIM_NOW) != 0),
                one(mtim, (fstFlags & WasiAbi.FSTFLAGS_MTIM) != 0, (fstFlags & WasiAbi.FSTFLAGS_MTIM_NOW) != 0));
    }

    private static FileTime one(long nanos, boolean set, boolean now) {
        if (set && now) throw new ErrnoException(Errno.EINVAL);
        if (now) return FileTime.from(Instant.now());
        if (set) {
            // a u64 count of nanoseconds since the epoch
            long seconds = Long.divideUnsigned(nanos, 1_000_000_000L);
            long rest = Long.remainderUnsigned(nanos, 1_000_000_000L);
            return FileTime.from(Instant.ofEpochSecond(seconds, rest));
        }
        return null;
    }

    boolean changesNothing() {
        return atime == null && mtime == null;
    }
}
