package dev.kiln.runtime.wasi;

/**
 * The numbers of the preview 1 ABI other than errnos ({@link Errno}) and rights ({@link Rights}):
 * enum and flag values and the byte layout of every struct the functions read or write, exactly as
 * {@code wasi_snapshot_preview1.witx} defines them for wasm32 (little-endian, pointers and
 * {@code size} are {@code u32}).
 */
final class WasiAbi {
    private WasiAbi() {}

    // filetype (u8)
    static final int FILETYPE_UNKNOWN = 0;
    static final int FILETYPE_BLOCK_DEVICE = 1;
    static final int FILETYPE_CHARACTER_DEVICE = 2;
    static final int FILETYPE_DIRECTORY = 3;
    static final int FILETYPE_REGULAR_FILE = 4;
    static final int FILETYPE_SOCKET_DGRAM = 5;
    static final int FILETYPE_SOCKET_STREAM = 6;
    static final int FILETYPE_SYMBOLIC_LINK = 7;

    // fdflags (u16)
    static final int FDFLAGS_APPEND = 1;
    static final int FDFLAGS_DSYNC = 2;
    static final int FDFLAGS_NONBLOCK = 4;
    static final int FDFLAGS_RSYNC = 8;
    static final int FDFLAGS_SYNC = 16;
    static final int FDFLAGS_ALL = 31;

    // oflags (u16)
    static final int OFLAGS_CREAT = 1;
    static final int OFLAGS_DIRECTORY = 2;
    static final int OFLAGS_EXCL = 4;
    static final int OFLAGS_TRUNC = 8;
    static final int OFLAGS_ALL = 15;

    // lookupflags (u32)
    static final int LOOKUPFLAGS_SYMLINK_FOLLOW = 1;
    static final int LOOKUPFLAGS_ALL = 1;

    // fstflags (u16)
    static final int FSTFLAGS_ATIM = 1;
    static final int FSTFLAGS_ATIM_NOW = 2;
    static final int FSTFLAGS_MTIM = 4;
    static final int FSTFLAGS_MTIM_NOW = 8;
    static final int FSTFLAGS_ALL = 15;

    // whence (u8)
    static final int WHENCE_SET = 0;
    static final int WHENCE_CUR = 1;
    static final int WHENCE_END = 2;

    // clockid (u32)
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int CLOCK_PROCESS_CPUTIME = 2;
    static final int CLOCK_THREAD_CPUTIME = 3;

    // advice (u8): normal, sequential, random, willneed, dontneed, noreuse
    static final int ADVICE_MAX = 5;

    // signal (u8): none .. sys
    static final int SIGNAL_MAX = 30;

    // riflags (u16), sdflags (u8); siflags is a plain u16 with no flags defined
    static final int RIFLAGS_ALL = 3;
    static final int SDFLAGS_ALL = 3;

    // eventtype (u8)
    static final int EVENTTYPE_CLOCK = 0;
    static final int EVENTTYPE_FD_READ = 1;
    static final int EVENTTYPE_FD_WRITE = 2;

    // subclockflags (u16), eventrwflags (u16)
    static final int SUBCLOCKFLAGS_ABSTIME = 1;
    static final int EVENTRWFLAGS_FD_READWRITE_HANGUP = 1;

    // preopentype (u8)
    static final int PREOPENTYPE_DIR = 0;

    /** Exit statuses at or above this trap instead of exiting, as in wasmtime. */
    static final int EXIT_STATUS_LIMIT = 126;

    // iovec / ciovec: buf u32 @0, buf_len u32 @4; size 8, align 4
    static final int IOVEC_SIZE = 8;
    static final int IOVEC_ALIGN = 4;
    static final int IOVEC_BUF = 0;
    static final int IOVEC_LEN = 4;

    // fdstat: fs_filetype u8 @0, fs_flags u16 @2, fs_rights_base u64 @8, fs_rights_inheriting u64 @16
    static final int FDSTAT_SIZE = 24;
    static final int FDSTAT_ALIGN = 8;
    static final int FDSTAT_FILETYPE = 0;
    static final int FDSTAT_FLAGS = 2;
    static final int FDSTAT_RIGHTS_BASE = 8;
    static final int FDSTAT_RIGHTS_INHERITING = 16;

    // filestat: dev u64 @0, ino u64 @8, filetype u8 @16, nlink u64 @24, size u64 @32,
    // atim u64 @40, mtim u64 @48, ctim u64 @56
    static final int FILESTAT_SIZE = 64;
    static final int FILESTAT_ALIGN = 8;
    static final int FILESTAT_DEV = 0;
    static final int FILESTAT_INO = 8;
    static final int FILESTAT_FILETYPE = 16;
    static final int FILESTAT_NLINK = 24;
    static final int FILESTAT_SIZE_FIELD = 32;
    static final int FILESTAT_ATIM = 40;
    static final int FILESTAT_MTIM = 48;
    static final int FILESTAT_CTIM = 56;

    // prestat: tag u8 @0, dir.pr_name_len u32 @4; size 8, align 4
    static final int PRESTAT_SIZE = 8;
    static final int PRESTAT_ALIGN = 4;
    static final int PRESTAT_TAG = 0;
    static final int PRESTAT_NAME_LEN = 4;

    // dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; size 24 (name follows)
    static final int DIRENT_SIZE = 24;
    static final int DIRENT_NEXT = 0;
    static final int DIRENT_INO = 8;
    static final int DIRENT_NAMLEN = 16;
    static final int DIRENT_TYPE = 20;

    // subscription: userdata u64 @0, u.tag u8 @8, u.u @16; size 48, align 8.
    // clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40. fd_readwrite: fd u32 @16
    static final int SUBSCRIPTION_SIZE = 48;
    static final int SUBSCRIPTION_ALIGN = 8;
    static final int SUBSCRIPTION_USERDATA = 0;
    static final int SUBSCRIPTION_TAG = 8;
    static final int SUBSCRIPTION_CLOCK_ID = 16;
    static final int SUBSCRIPTION_CLOCK_TIMEOUT = 24;
    static final int SUBSCRIPTION_CLOCK_PRECISION = 32;
    static final int SUBSCRIPTION_CLOCK_FLAGS = 40;
    static final int SUBSCRIPTION_FD = 16;

    // event: userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite.nbytes u64 @16,
    // fd_readwrite.flags u16 @24; size 32, align 8
    static final int EVENT_SIZE = 32;
    static final int EVENT_ALIGN = 8;
    static final int EVENT_USERDATA = 0;
    static final int EVENT_ERROR = 8;
    static final int EVENT_TYPE = 10;
    static final int EVENT_NBYTES = 16;
    static final int EVENT_FLAGS = 24;
}
