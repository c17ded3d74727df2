package dev.kiln.runtime.wasi;

import java.io.IOException;

/**
 * What a guest file descriptor refers to, with its rights. Base rights say what may be done with
 * the descriptor, inheriting rights bound those of descriptors opened through it; both only shrink.
 * A missing right gives {@code ENOTCAPABLE}, except that reading or writing without
 * {@code fd_read}/{@code fd_write} gives {@code EBADF} (what wasmtime returns for a descriptor not
 * opened for reading or writing).
 */
abstract sealed class Descriptor permits StdinHandle, OutputHandle, FileHandle, DirectoryHandle {
    private long rightsBase;
    private long rightsInheriting;

    Descriptor(long rightsBase, long rightsInheriting) {
        this.rightsBase = rightsBase;
        this.rightsInheriting = rightsInheriting;
    }

    long rightsBase() {
        return rightsBase;
    }

    long rightsInheriting() {
        return rightsInheriting;
    }

    /** Replaces the rights with a subset; {@code ENOTCAPABLE} when that would add any right. */
    void restrictRights(long base, long inheriting) {
        if (!Rights.contains(rightsBase, base) || !Rights.contains(rightsInheriting, inheriting)) {
            throw new ErrnoException(Errno.ENOTCAPABLE);
        }
        rightsBase = base;
        rightsInheriting = inheriting;
    }

    /** {@code ENOTCAPABLE} unless the descriptor has every right in {@code rights}. */
    void require(long rights) {
        if (!Rights.contains(rightsBase, rights)) throw new ErrnoException(Errno.ENOTCAPABLE);
    }

    /** {@code ENOTCAPABLE} unless the descriptor has at least one right in {@code rights}. */
    void requireAny(long rights) {
        if ((rightsBase & rights) == 0) throw new ErrnoException(Errno.ENOTCAPABLE);
    }

    /** The preview 1 filetype reported by {@code fd_fdstat_get}. */
    abstract int filetype() throws IOException;

    /** The fdflags reported by {@code fd_fdstat_get}. */
    int fdflags() {
        return 0;
    }

    /** Releases host resources; the standard streams of the process are never closed. */
    void close() throws IOException {}
}
