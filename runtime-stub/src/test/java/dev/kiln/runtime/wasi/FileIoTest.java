package dev.kiln.runtime.wasi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing files: offsets, positional I/O, append, sizes, metadata. */
class FileIoTest {
    @TempDir
    Path dir;

    private static final int CREAT = 1;
    private static final int TRUNC = 8;
    private static final int APPEND = 1;

    @Test
    void writeThenReadBackWithSeekAndTell() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("f.txt", CREAT);
            g.writeAll(fd, "hello world");
            assertEquals(11, g.lastCount);
            long tell = g.alloc(8, 8);
            g.ok("fd_tell", fd, tell);
            assertEquals(11, g.u64At(tell));
            assertEquals(0, g.seek(fd, 0, 0));
            assertEquals("hello", g.readText(fd, 5));
            assertEquals(" world", g.readText(fd, 100));
            assertEquals("", g.readText(fd, 100), "end of file reads 0 bytes");
            assertEquals(6, g.seek(fd, -5, 2));
            assertEquals("world", g.readText(fd, 5));
            assertEquals(8, g.seek(fd, -3, 1));
            assertEquals("rld", g.readText(fd, 3));
        }
    }

    @Test
    void seekErrors() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("f", CREAT);
            assertEquals(-1, g.seek(fd, -1, 0));
            assertEquals(Errno.EINVAL, g.lastErrno);
            assertEquals(-1, g.seek(fd, -100, 1));
            assertEquals(Errno.EINVAL, g.lastErrno);
            assertEquals(1000, g.seek(fd, 1000, 0), "seeking past the end is allowed");
            g.writeAll(fd, "x");
            assertEquals(1001, Files.size(dir.resolve("f")));
            assertEquals(-1, g.seek(1, 0, 1));
            assertEquals(Errno.ESPIPE, g.lastErrno, "stdout is not seekable");
            assertEquals(-1, g.seek(TestGuest.ROOT, 0, 0));
            assertEquals(Errno.EBADF, g.lastErrno, "directories are not seekable (wasmtime: EBADF)");
        }
    }

    @Test
    void scatterGatherUsesEveryBuffer() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("sg", CREAT);
            long a = g.bytes("abc".getBytes(StandardCharsets.US_ASCII));
            long b = g.bytes("defgh".getBytes(StandardCharsets.US_ASCII));
            long iovs = g.alloc(24, 4);
            g.memory.writeInt(iovs, (int) a);
            g.memory.writeInt(iovs + 4, 3);
            g.memory.writeInt(iovs + 8, (int) b);
            g.memory.writeInt(iovs + 12, 0);
            g.memory.writeInt(iovs + 16, (int) b);
            g.memory.writeInt(iovs + 20, 5);
            long n = g.alloc(4, 4);
            g.ok("fd_write", fd, iovs, 3, n);
            assertEquals(8, g.u32At(n));
            assertEquals("abcdefgh", read(dir.resolve("sg")));

            g.seek(fd, 0, 0);
            long r1 = g.alloc(2, 1);
            long r2 = g.alloc(10, 1);
            g.memory.writeInt(iovs, (int) r1);
            g.memory.writeInt(iovs + 4, 2);
            g.memory.writeInt(iovs + 8, (int) r2);
            g.memory.writeInt(iovs + 12, 10);
            g.ok("fd_read", fd, iovs, 2, n);
            assertEquals(8, g.u32At(n));
            assertEquals("ab", new String(g.bytesAt(r1, 2), StandardCharsets.US_ASCII));
            assertEquals("cdefgh", new String(g.bytesAt(r2, 6), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void preadAndPwriteLeaveTheOffsetAlone() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("p", CREAT);
            g.writeAll(fd, "0123456789");
            g.seek(fd, 2, 0);
            long buf = g.bytes("AB".getBytes(StandardCharsets.US_ASCII));
            long iov = iov(g, buf, 2);
            long n = g.alloc(4, 4);
            g.ok("fd_pwrite", fd, iov, 1, 5, n);
            assertEquals(2, g.u32At(n));
            long rbuf = g.alloc(4, 1);
            g.ok("fd_pread", fd, iov(g, rbuf, 4), 1, 4, n);
            assertEquals("4AB7", new String(g.bytesAt(rbuf, 4), StandardCharsets.US_ASCII));
            g.ok("fd_pread", fd, iov(g, rbuf, 4), 1, 100, n);
            assertEquals(0, g.u32At(n), "reading past the end");
            assertEquals("23", g.readText(fd, 2), "offset unchanged by pread/pwrite");
            g.ok("fd_pwrite", fd, iov(g, buf, 2), 1, 20, n);
            assertEquals(22, g.seek(fd, 0, 2), "pwrite past the end grows the file");
            assertEquals(Errno.ESPIPE, g.call("fd_pread", 0, iov(g, rbuf, 1), 1, 0, n));
            assertEquals(Errno.ESPIPE, g.call("fd_pwrite", 1, iov(g, buf, 1), 1, 0, n));
            assertEquals(Errno.EBADF, g.call("fd_pwrite", TestGuest.ROOT, iov(g, buf, 1), 1, 0, n));
        }
    }

    @Test
    void appendModeWritesAtTheEndEvenForPwrite() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("log", CREAT);
            g.writeAll(fd, "one\n");
            g.ok("fd_close", fd);
            fd = g.open("log", 0, TestGuest.FILE_RIGHTS, APPEND);
            assertEquals(APPEND, g.fdstat(fd)[1]);
            g.writeAll(fd, "two\n");
            long tell = g.alloc(8, 8);
            g.ok("fd_tell", fd, tell);
            assertEquals(8, g.u64At(tell), "the offset follows the end");
            long n = g.alloc(4, 4);
            g.ok("fd_pwrite", fd, iov(g, g.bytes("three\n".getBytes(StandardCharsets.US_ASCII)), 6), 1, 0, n);
            assertEquals("one\ntwo\nthree\n", read(dir.resolve("log")));
            g.ok("fd_fdstat_set_flags", fd, 0);
            assertEquals(0, g.fdstat(fd)[1]);
            g.seek(fd, 0, 0);
            g.writeAll(fd, "ONE");
            assertEquals("ONE\ntwo\nthree\n", read(dir.resolve("log")));
            g.ok("fd_fdstat_set_flags", fd, APPEND | 4);
            assertEquals(APPEND | 4, g.fdstat(fd)[1], "append and nonblock can be set");
            assertEquals(Errno.EINVAL, g.call("fd_fdstat_set_flags", fd, 16), "sync cannot (as wasmtime)");
        }
    }

    @Test
    void truncateOnOpenAndSetSize() throws Exception {
        Files.writeString(dir.resolve("t"), "some content");
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("t", TRUNC);
            assertEquals(0, Files.size(dir.resolve("t")));
            g.writeAll(fd, "abcdef");
            g.ok("fd_filestat_set_size", fd, 3);
            assertEquals("abc", read(dir.resolve("t")));
            g.ok("fd_filestat_set_size", fd, 10);
            assertArrayEquals("abc\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir.resolve("t")));
            assertEquals(Errno.EBADF, g.call("fd_filestat_set_size", TestGuest.ROOT, 1), "directories: EBADF");
            int ro = g.open("t", 0, Rights.FD_READ | Rights.FD_FILESTAT_SET_SIZE, 0);
            assertEquals(Errno.EINVAL, g.call("fd_filestat_set_size", ro, 1), "not open for writing: EINVAL (ftruncate)");
        }
    }

    @Test
    void allocateGrowsButNeverShrinks() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("a", CREAT);
            g.ok("fd_allocate", fd, 0, 100);
            assertEquals(Errno.SUCCESS, g.fstat(fd));
            assertEquals(100, g.statSize());
            g.ok("fd_allocate", fd, 10, 10);
            g.fstat(fd);
            assertEquals(100, g.statSize());
            g.ok("fd_allocate", fd, 90, 20);
            g.fstat(fd);
            assertEquals(110, g.statSize());
            assertEquals(Errno.EBADF, g.call("fd_allocate", TestGuest.ROOT, 0, 1));
        }
    }

    @Test
    void filestatOfFilesAndDirectories() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("s", CREAT);
            g.writeAll(fd, "12345");
            assertEquals(Errno.SUCCESS, g.fstat(fd));
            assertEquals(4, g.statFiletype());
            assertEquals(5, g.statSize());
            assertEquals(1, g.statNlink());
            assertEquals(Files.getAttribute(dir.resolve("s"), "unix:ino"), g.statIno());
            assertEquals(Errno.SUCCESS, g.fstat(TestGuest.ROOT));
            assertEquals(3, g.statFiletype());
            assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, "s"));
            assertEquals(5, g.statSize());
        }
    }

    @Test
    void filestatOfAnUnlinkedOpenFileUsesItsSize() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("gone", CREAT);
            g.writeAll(fd, "abc");
            assertEquals(Errno.SUCCESS, g.unlink("gone"));
            g.writeAll(fd, "de");
            assertEquals(Errno.SUCCESS, g.fstat(fd));
            assertEquals(5, g.statSize());
            assertEquals("abcde", new String(readAt(g, fd, 0, 10), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void setTimes() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("times", CREAT);
            g.ok("fd_filestat_set_times", fd, 1_000_000_123L, 2_000_000_456L, 1 | 4);
            assertEquals(Errno.SUCCESS, g.fstat(fd));
            assertEquals(1_000_000_123L, g.u64At(g.lastStat + 40));
            assertEquals(2_000_000_456L, g.u64At(g.lastStat + 48));
            FileTime mtime = Files.getLastModifiedTime(dir.resolve("times"));
            assertEquals(2_000_000_456L, mtime.to(TimeUnit.NANOSECONDS));
            g.ok("fd_filestat_set_times", fd, 0, 0, 8); // mtime = now, atime unchanged
            g.fstat(fd);
            assertEquals(1_000_000_123L, g.u64At(g.lastStat + 40));
            assertTrue(g.u64At(g.lastStat + 48) > 1_600_000_000_000_000_000L);
            assertEquals(Errno.EINVAL, g.call("fd_filestat_set_times", fd, 0, 0, 1 | 2), "time and now together");
            assertEquals(Errno.EBADF, g.call("fd_filestat_set_times", 1, 0, 0, 2));
            Files.createDirectory(dir.resolve("d"));
            TestGuest.Str p = g.str("d");
            g.ok("path_filestat_set_times", TestGuest.ROOT, 0, p.ptr(), p.len(), 5_000_000_000L, 6_000_000_000L, 1 | 4);
            assertEquals(6_000_000_000L, Files.getLastModifiedTime(dir.resolve("d")).to(TimeUnit.NANOSECONDS));
            g.ok("fd_filestat_set_times", TestGuest.ROOT, 0, 7_000_000_000L, 4);
            assertEquals(7_000_000_000L, Files.getLastModifiedTime(dir).to(TimeUnit.NANOSECONDS));
        }
    }

    @Test
    void syncAdviseAndFileOnlyOperations() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("x", CREAT);
            g.ok("fd_sync", fd);
            g.ok("fd_datasync", fd);
            g.ok("fd_advise", fd, 0, 100, 1);
            for (String fn : new String[] {"fd_sync", "fd_datasync"}) {
                assertEquals(Errno.EBADF, g.call(fn, TestGuest.ROOT), fn + " on a directory");
                assertEquals(Errno.EBADF, g.call(fn, 1), fn + " on stdout");
            }
            assertEquals(Errno.EBADF, g.call("fd_advise", TestGuest.ROOT, 0, 0, 0));
            assertEquals(Errno.EBADF, g.call("fd_read", TestGuest.ROOT, iov(g, g.alloc(4, 1), 4), 1, g.alloc(4, 4)));
            assertEquals(Errno.EBADF, g.call("fd_write", TestGuest.ROOT, iov(g, g.alloc(4, 1), 4), 1, g.alloc(4, 4)));
        }
    }

    @Test
    void largeWritesAndReadsCrossChunks() throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("big", CREAT);
            assertEquals(Errno.SUCCESS, g.write(fd, big));
            assertEquals(big.length, g.lastCount);
            assertArrayEquals(big, Files.readAllBytes(dir.resolve("big")));
            g.seek(fd, 0, 0);
            assertArrayEquals(big, g.read(fd, big.length));
        }
    }

    @Test
    void closedDescriptorsAreBad() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("c", CREAT);
            g.ok("fd_close", fd);
            assertEquals(Errno.EBADF, g.call("fd_close", fd));
            assertEquals(Errno.EBADF, g.write(fd, new byte[1]));
            assertEquals(Errno.EBADF, g.call("fd_close", 12345));
        }
    }

    static long iov(TestGuest g, long buf, int len) {
        long iov = g.alloc(8, 4);
        g.memory.writeInt(iov, (int) buf);
        g.memory.writeInt(iov + 4, len);
        return iov;
    }

    static byte[] readAt(TestGuest g, int fd, long offset, int n) {
        long buf = g.alloc(n, 1);
        long out = g.alloc(4, 4);
        g.ok("fd_pread", fd, iov(g, buf, n), 1, offset, out);
        return g.bytesAt(buf, (int) g.u32At(out));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
