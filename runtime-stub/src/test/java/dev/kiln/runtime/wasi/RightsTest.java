package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.TrapException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rights: what descriptors start with, that {@code fd_fdstat_set_rights} only drops them, and that
 * every operation checks its right ({@code ENOTCAPABLE}; {@code EBADF} for reading and writing).
 */
class RightsTest {
    @TempDir
    Path dir;

    @Test
    void initialRights() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long[] root = g.fdstat(TestGuest.ROOT);
            assertEquals(3, root[0]);
            assertEquals(Rights.PREOPEN_BASE, root[2]);
            assertEquals(Rights.PREOPEN_INHERITING, root[3]);
            assertEquals(0, root[2] & (Rights.FD_FILESTAT_SET_SIZE | Rights.FD_SEEK | Rights.FD_WRITE),
                    "rights that make no sense on a directory");
            long[] in = g.fdstat(0);
            assertEquals(Rights.FD_READ, in[2] & (Rights.FD_READ | Rights.FD_WRITE));
            long[] out = g.fdstat(1);
            assertEquals(Rights.FD_WRITE, out[2] & (Rights.FD_READ | Rights.FD_WRITE));
            assertEquals(0, out[2] & (Rights.FD_SEEK | Rights.FD_TELL), "how libc's isatty tells a stream");
        }
    }

    @Test
    void droppingRightsDisablesOperationsAndCannotBeUndone() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.open("f", 1, Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL, 0);
            g.writeAll(fd, "abcd");
            g.ok("fd_fdstat_set_rights", fd, Rights.FD_SEEK | Rights.FD_TELL, 0);
            long[] st = g.fdstat(fd);
            assertEquals(Rights.FD_SEEK | Rights.FD_TELL, st[2]);
            assertEquals(0, st[3]);
            assertEquals(Errno.EBADF, g.write(fd, new byte[] {1}), "fd_write without the right");
            g.seek(fd, 0, 0);
            g.read(fd, 4);
            assertEquals(Errno.EBADF, g.lastErrno, "fd_read without the right");
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_fdstat_set_rights", fd, Rights.FD_SEEK | Rights.FD_TELL | Rights.FD_READ, 0));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_fdstat_set_rights", fd, Rights.FD_SEEK, 1));
            g.ok("fd_fdstat_set_rights", fd, Rights.FD_SEEK, 0);
            long out = g.alloc(8, 8);
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_tell", fd, out));
            assertEquals(0, g.seek(fd, 0, 0), "fd_seek still allowed");
            g.ok("fd_fdstat_set_rights", fd, 0, 0);
            assertEquals(-1, g.seek(fd, 0, 0));
            assertEquals(Errno.ENOTCAPABLE, g.lastErrno);
        }
    }

    @Test
    void eachFileOperationChecksItsRight() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.open("f", 1, Rights.FD_READ | Rights.FD_WRITE, 0);
            long p = g.alloc(64, 8);
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_filestat_get", fd, p));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_filestat_set_size", fd, 1));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_filestat_set_times", fd, 0, 0, 2));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_allocate", fd, 0, 1));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_advise", fd, 0, 1, 0));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_sync", fd));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_datasync", fd));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_fdstat_set_flags", fd, 1));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_tell", fd, p));
            assertEquals(-1, g.seek(fd, 1, 0));
            assertEquals(Errno.ENOTCAPABLE, g.lastErrno);
        }
    }

    @Test
    void eachDirectoryOperationChecksItsRight() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            g.ok("fd_fdstat_set_rights", TestGuest.ROOT, 0, Rights.ALL & ~(Rights.SOCK_ACCEPT | Rights.SOCK_SHUTDOWN));
            assertEquals(Errno.ENOTCAPABLE, g.open(TestGuest.ROOT, 0, "f", 0, 0, 0, 0));
            assertEquals(Errno.ENOTCAPABLE, g.mkdir("d"));
            assertEquals(Errno.ENOTCAPABLE, g.rmdir("d"));
            assertEquals(Errno.ENOTCAPABLE, g.unlink("f"));
            assertEquals(Errno.ENOTCAPABLE, g.symlink("f", "s"));
            assertEquals(Errno.ENOTCAPABLE, g.rename("f", "g"));
            assertEquals(Errno.ENOTCAPABLE, g.link(0, "f", "h"));
            assertEquals(Errno.ENOTCAPABLE, g.stat(TestGuest.ROOT, 0, "f"));
            assertEquals(null, g.readlink("l", 10));
            assertEquals(Errno.ENOTCAPABLE, g.lastErrno);
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_readdir", TestGuest.ROOT, g.alloc(64, 8), 64, 0, g.alloc(4, 4)));
            assertEquals(Errno.ENOTCAPABLE, g.fstat(TestGuest.ROOT));
            assertEquals(Errno.ENOTCAPABLE, g.call("fd_filestat_set_times", TestGuest.ROOT, 0, 0, 2));
            TestGuest.Str s = g.str("f");
            assertEquals(Errno.ENOTCAPABLE, g.call("path_filestat_set_times", TestGuest.ROOT, 0, s.ptr(), s.len(), 0, 0, 2));
        }
    }

    @Test
    void createAndTruncateNeedTheirPathRights() throws Exception {
        Files.writeString(dir.resolve("f"), "content");
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long base = Rights.PREOPEN_BASE;
            g.ok("fd_fdstat_set_rights", TestGuest.ROOT, base & ~Rights.PATH_CREATE_FILE, Rights.PREOPEN_INHERITING);
            assertEquals(Errno.ENOTCAPABLE, g.open(TestGuest.ROOT, 0, "new", 1, 0, 0, 0));
            assertEquals(Errno.SUCCESS, g.open(TestGuest.ROOT, 0, "f", 8, 0, 0, 0), "truncation allowed");
            g.ok("fd_fdstat_set_rights", TestGuest.ROOT,
                    base & ~(Rights.PATH_CREATE_FILE | Rights.PATH_FILESTAT_SET_SIZE), Rights.PREOPEN_INHERITING);
            assertEquals(Errno.ENOTCAPABLE, g.open(TestGuest.ROOT, 0, "f", 8, 0, 0, 0), "O_TRUNC needs path_filestat_set_size");
            assertEquals(Errno.SUCCESS, g.open(TestGuest.ROOT, 0, "f", 0, 0, 0, 0));
        }
    }

    @Test
    void inheritingRightsBoundNewDescriptors() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/f"), "x");
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            g.ok("fd_fdstat_set_rights", TestGuest.ROOT, Rights.PREOPEN_BASE, Rights.PATH_OPEN | Rights.FD_READ);
            assertEquals(Errno.SUCCESS, g.open(TestGuest.ROOT, 0, "sub", 2, Rights.ALL & ~Rights.FD_WRITE, Rights.ALL, 0));
            int sub = g.lastFd;
            long[] st = g.fdstat(sub);
            assertEquals(Rights.PATH_OPEN | Rights.FD_READ, st[2]);
            assertEquals(Rights.PATH_OPEN | Rights.FD_READ, st[3]);
            assertEquals(Errno.SUCCESS, g.open(sub, 0, "f", 0, Rights.FD_READ | Rights.FD_WRITE, 0, 0));
            assertEquals(Rights.FD_READ, g.fdstat(g.lastFd)[2], "fd_write was not inheritable");
            assertEquals(Errno.EBADF, g.write(g.lastFd, new byte[] {1}));
        }
    }

    @Test
    void undefinedRightBitsTrap() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            assertThrows(TrapException.class, () -> g.invoke("fd_fdstat_set_rights", 1, 1L << 40, 0));
            assertThrows(TrapException.class, () -> g.invoke("fd_fdstat_set_rights", 1, 0, -1L));
            TestGuest.Str s = g.str("f");
            assertThrows(TrapException.class, () -> g.invoke("path_open", TestGuest.ROOT, 0, s.ptr(), s.len(), 1,
                    1L << 30, 0, 0, g.alloc(4, 4)));
        }
    }

    @Test
    void stdioRightsCanBeDropped() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            g.writeAll(1, "before");
            g.ok("fd_fdstat_set_rights", 1, 0, 0);
            assertEquals(Errno.ENOTCAPABLE, g.write(1, "after".getBytes()));
            assertEquals("before", g.stdoutText());
        }
    }
}
