package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.Caller;
import dev.kiln.runtime.Extern;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.Store;
import java.util.Optional;
import dev.kiln.runtime.HostFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake guest for tests: a byte-array memory, a caller that hands it out, the WASI functions by
 * name, and a bump allocator for arguments and result slots. With {@link #inDirectory} the directory
 * is preopened as {@code "/"} at descriptor 3 and the standard streams are in-memory.
 */
final class TestGuest implements AutoCloseable {
    static final int ROOT = 3;
    static final long FILE_RIGHTS = Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL
            | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES
            | Rights.FD_ALLOCATE | Rights.FD_ADVISE | Rights.FD_SYNC | Rights.FD_DATASYNC
            | Rights.FD_FDSTAT_SET_FLAGS | Rights.POLL_FD_READWRITE;

    final ByteArrayMemory memory = new ByteArrayMemory(16);
    final Caller caller = callerOf(memory);
    final WasiPreview1 wasi;
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Map<String, HostFunction> functions = new HashMap<>();
    private long heap = 4096;

    /** A guest configured by {@code config}, with in-memory stdout/stderr and {@code stdin} as input. */
    TestGuest(WasiConfig.Builder config, byte[] stdin) {
        this(config, new ByteArrayInputStream(stdin));
    }

    /** A guest configured by {@code config}, with in-memory stdout/stderr and the given input stream. */
    TestGuest(WasiConfig.Builder config, InputStream stdin) {
        this.wasi = new WasiPreview1(config.stdin(stdin).stdout(stdout).stderr(stderr).build());
        for (HostFunction f : wasi.hostFunctions()) functions.put(f.name(), f);
    }

    /** A guest with {@code dir} preopened as "/" (fd 3), in-memory stdio and empty stdin. */
    static TestGuest inDirectory(Path dir) {
        return new TestGuest(WasiConfig.builder().preopen(dir, "/"), new byte[0]);
    }

    String stdoutText() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    String stderrText() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    HostFunction function(String name) {
        HostFunction f = functions.get(name);
        if (f == null) throw new IllegalArgumentException("no function " + name);
        return f;
    }

    /** Calls a function and returns its raw results. Exceptions (traps, exits) propagate. */
    long[] invoke(String name, long... args) throws Exception {
        return function(name).implementation().call(caller, args);
    }

    /** Calls a function that returns an errno. */
    Errno call(String name, long... args) {
        try {
            long[] r = invoke(name, args);
            return Errno.fromCode((int) r[0]);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Calls and asserts success. */
    void ok(String name, long... args) {
        assertEquals(Errno.SUCCESS, call(name, args), name);
    }

    // ---- guest memory ----

    long alloc(int size, int align) {
        heap = (heap + align - 1) & -align;
        long p = heap;
        heap += Math.max(size, 1);
        return p;
    }

    long bytes(byte[] b) {
        long p = alloc(b.length, 1);
        memory.write(p, b, 0, b.length);
        return p;
    }

    /** A guest string: pointer and length as call arguments. */
    record Str(long ptr, long len) {}

    Str str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Str(bytes(b), b.length);
    }

    long u32At(long p) {
        return memory.readInt(p) & 0xFFFF_FFFFL;
    }

    long u64At(long p) {
        return memory.readLong(p);
    }

    byte[] bytesAt(long p, int n) {
        return memory.readBytes(p, n);
    }

    // ---- common calls ----

    /** {@code path_open} from {@code dirfd}; returns the errno, the fd in {@link #lastFd}. */
    Errno open(int dirfd, int lookup, String path, int oflags, long base, long inheriting, int fdflags) {
        Str s = str(path);
        long out = alloc(4, 4);
        Errno e = call("path_open", dirfd, lookup, s.ptr(), s.len(), oflags, base, inheriting, fdflags, out);
        lastFd = e == Errno.SUCCESS ? (int) u32At(out) : -1;
        return e;
    }

    int lastFd = -1;

    /** Opens (following symlinks) below the root and asserts success. */
    int open(String path, int oflags, long base, int fdflags) {
        assertEquals(Errno.SUCCESS, open(ROOT, 1, path, oflags, base, base, fdflags), "path_open " + path);
        return lastFd;
    }

    int openFile(String path, int oflags) {
        return open(path, oflags, FILE_RIGHTS, 0);
    }

    /** {@code fd_write} of one buffer; returns the errno, the count in {@link #lastCount}. */
    Errno write(int fd, byte[] data) {
        long buf = bytes(data);
        long iov = alloc(8, 4);
        memory.writeInt(iov, (int) buf);
        memory.writeInt(iov + 4, data.length);
        long out = alloc(4, 4);
        Errno e = call("fd_write", fd, iov, 1, out);
        lastCount = e == Errno.SUCCESS ? u32At(out) : -1;
        return e;
    }

    long lastCount = -1;

    void writeAll(int fd, String text) {
        assertEquals(Errno.SUCCESS, write(fd, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code fd_read} into one buffer of {@code n} bytes; returns what was read, or null on error. */
    byte[] read(int fd, int n) {
        long buf = alloc(n, 1);
        long iov = alloc(8, 4);
        memory.writeInt(iov, (int) buf);
        memory.writeInt(iov + 4, n);
        long out = alloc(4, 4);
        Errno e = call("fd_read", fd, iov, 1, out);
        lastErrno = e;
        return e == Errno.SUCCESS ? bytesAt(buf, (int) u32At(out)) : null;
    }

    Errno lastErrno;

    String readText(int fd, int n) {
        byte[] b = read(fd, n);
        assertEquals(Errno.SUCCESS, lastErrno);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@code fd_seek}; returns the new offset, or -1 with the errno in {@link #lastErrno}. */
    long seek(int fd, long offset, int whence) {
        long out = alloc(8, 8);
        lastErrno = call("fd_seek", fd, offset, whence, out);
        return lastErrno == Errno.SUCCESS ? u64At(out) : -1;
    }

    /** One-argument path calls such as {@code path_create_directory}. */
    Errno path(String fn, int dirfd, String path) {
        Str s = str(path);
        return call(fn, dirfd, s.ptr(), s.len());
    }

    Errno mkdir(String path) {
        return path("path_create_directory", ROOT, path);
    }

    Errno unlink(String path) {
        return path("path_unlink_file", ROOT, path);
    }

    Errno rmdir(String path) {
        return path("path_remove_directory", ROOT, path);
    }

    Errno symlink(String target, String path) {
        Str t = str(target);
        Str p = str(path);
        return call("path_symlink", t.ptr(), t.len(), ROOT, p.ptr(), p.len());
    }

    Errno rename(String from, String to) {
        Str f = str(from);
        Str t = str(to);
        return call("path_rename", ROOT, f.ptr(), f.len(), ROOT, t.ptr(), t.len());
    }

    Errno link(int lookup, String from, String to) {
        Str f = str(from);
        Str t = str(to);
        return call("path_link", ROOT, lookup, f.ptr(), f.len(), ROOT, t.ptr(), t.len());
    }

    /** {@code path_filestat_get}; the struct's address in {@link #lastStat}. */
    Errno stat(int dirfd, int lookup, String path) {
        Str s = str(path);
        lastStat = alloc(64, 8);
        return call("path_filestat_get", dirfd, lookup, s.ptr(), s.len(), lastStat);
    }

    long lastStat;

    Errno fstat(int fd) {
        lastStat = alloc(64, 8);
        return call("fd_filestat_get", fd, lastStat);
    }

    int statFiletype() {
        return memory.readByte(lastStat + 16);
    }

    long statSize() {
        return u64At(lastStat + 32);
    }

    long statNlink() {
        return u64At(lastStat + 24);
    }

    long statIno() {
        return u64At(lastStat + 8);
    }

    /** {@code path_readlink} into a buffer of {@code n}; returns the bytes, or null on error. */
    String readlink(String path, int n) {
        Str s = str(path);
        long buf = alloc(n, 1);
        long out = alloc(4, 4);
        lastErrno = call("path_readlink", ROOT, s.ptr(), s.len(), buf, n, out);
        return lastErrno == Errno.SUCCESS ? new String(bytesAt(buf, (int) u32At(out)), StandardCharsets.UTF_8) : null;
    }

    /** {@code fd_fdstat_get}: {filetype, flags, base, inheriting}. */
    long[] fdstat(int fd) {
        long p = alloc(24, 8);
        assertEquals(Errno.SUCCESS, call("fd_fdstat_get", fd, p));
        return new long[] {memory.readByte(p), memory.readShort(p + 2) & 0xFFFF, u64At(p + 8), u64At(p + 16)};
    }

    @Override
    public void close() {
        wasi.close();
    }

    /** A caller whose memory is {@code memory} (null: a caller without memory), without exports or store. */
    static Caller callerOf(Memory memory) {
        return new Caller() {
            @Override
            public Map<String, Extern> exports() {
                return Map.of();
            }

            @Override
            public Store store() {
                throw new UnsupportedOperationException("a test guest has no store");
            }

            @Override
            public Optional<Memory> findMemory() {
                return Optional.ofNullable(memory);
            }
        };
    }
}
