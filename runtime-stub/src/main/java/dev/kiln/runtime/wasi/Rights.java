package dev.kiln.runtime.wasi;

/**
 * The preview 1 {@code rights} bits, as {@code wasi_snapshot_preview1.witx} numbers them, and the sets
 * of rights this implementation grants. A descriptor has base rights (what may be done with it) and
 * inheriting rights (the most a descriptor opened through it may get); both can only shrink.
 */
public final class Rights {
    private Rights() {}

    public static final long FD_DATASYNC = 1L << 0;
    public static final long FD_READ = 1L << 1;
    public static final long FD_SEEK = 1L << 2;
    public static final long FD_FDSTAT_SET_FLAGS = 1L << 3;
    public static final long FD_SYNC = 1L << 4;
    public static final long FD_TELL = 1L << 5;
    public static final long FD_WRITE = 1L << 6;
    public static final long FD_ADVISE = 1L << 7;
    public static final long FD_ALLOCATE = 1L << 8;
    public static final long PATH_CREATE_DIRECTORY = 1L << 9;
    public static final long PATH_CREATE_FILE = 1L << 10;
    public static final long PATH_LINK_SOURCE = 1L << 11;
    public static final long PATH_LINK_TARGET = 1L << 12;
    public static final long PATH_OPEN = 1L << 13;
    public static final long FD_READDIR = 1L << 14;
    public static final long PATH_READLINK = 1L << 15;
    public static final long PATH_RENAME_SOURCE = 1L << 16;
    public static final long PATH_RENAME_TARGET = 1L << 17;
    public static final long PATH_FILESTAT_GET = 1L << 18;
    public static final long PATH_FILESTAT_SET_SIZE = 1L << 19;
    public static final long PATH_FILESTAT_SET_TIMES = 1L << 20;
    public static final long FD_FILESTAT_GET = 1L << 21;
    public static final long FD_FILESTAT_SET_SIZE = 1L << 22;
    public static final long FD_FILESTAT_SET_TIMES = 1L << 23;
    public static final long PATH_SYMLINK = 1L << 24;
    public static final long PATH_REMOVE_DIRECTORY = 1L << 25;
    public static final long PATH_UNLINK_FILE = 1L << 26;
    public static final long POLL_FD_READWRITE = 1L << 27;
    public static final long SOCK_SHUTDOWN = 1L << 28;
    public static final long SOCK_ACCEPT = 1L << 29;

    /** Every defined bit; a rights argument with any other bit set is invalid (the call traps). */
    public static final long ALL = (1L << 30) - 1;

    /** Rights that act on paths below a directory. */
    public static final long PATH_ALL = PATH_CREATE_DIRECTORY | PATH_CREATE_FILE | PATH_LINK_SOURCE
            | PATH_LINK_TARGET | PATH_OPEN | PATH_READLINK | PATH_RENAME_SOURCE | PATH_RENAME_TARGET
            | PATH_FILESTAT_GET | PATH_FILESTAT_SET_SIZE | PATH_FILESTAT_SET_TIMES | PATH_SYMLINK
            | PATH_REMOVE_DIRECTORY | PATH_UNLINK_FILE;

    /**
     * Base rights of a preopened directory: wasmtime's fixed set for preopens plus
     * {@code path_filestat_set_size} (needed to open with {@code O_TRUNC}). Never
     * {@code fd_filestat_set_size}, {@code fd_seek} or {@code fd_write}: they do not apply to directories.
     */
    public static final long PREOPEN_BASE = PATH_ALL | FD_READDIR | FD_FILESTAT_GET | FD_FILESTAT_SET_TIMES;

    /** Inheriting rights of a preopened directory: everything except the socket rights. */
    public static final long PREOPEN_INHERITING = ALL & ~(SOCK_SHUTDOWN | SOCK_ACCEPT);

    /** Rights of standard input. No {@code fd_seek}/{@code fd_tell}, which is how libc tells a tty. */
    public static final long STDIN = FD_READ | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /** Rights of standard output and standard error. */
    public static final long STDOUT = FD_WRITE | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /** True when every bit of {@code required} is in {@code held}. */
    public static boolean contains(long held, long required) {
        return (held & required) == required;
    }
}
