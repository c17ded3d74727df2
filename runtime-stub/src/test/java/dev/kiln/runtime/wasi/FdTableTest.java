package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptor numbering, preopens and {@code fd_prestat_*}, {@code fd_close}, {@code fd_renumber}. */
class FdTableTest {
    @TempDir
    Path dir;

    @Test
    void preopensFollowTheStandardStreams() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        try (TestGuest g = new TestGuest(WasiConfig.builder().preopen(dir, "/").preopen(other, "./data"), new byte[0])) {
            assertEquals("/", prestatName(g, 3));
            assertEquals("./data", prestatName(g, 4));
            long p = g.alloc(8, 4);
            assertEquals(Errno.EBADF, g.call("fd_prestat_get", 5, p), "the end of the preopens");
            assertEquals(Errno.EBADF, g.call("fd_prestat_get", 0, p), "stdin is not a preopen");
            assertEquals(Errno.ENAMETOOLONG, g.call("fd_prestat_dir_name", 4, g.alloc(8, 1), 5));
            int fd = g.openFile("x", 1);
            assertEquals(5, fd);
            assertEquals(Errno.EBADF, g.call("fd_prestat_get", fd, p));
            assertEquals(Errno.ENOTDIR, g.call("fd_prestat_dir_name", fd, g.alloc(8, 1), 8), "as wasmtime");
            assertEquals(Errno.EBADF, g.call("fd_prestat_dir_name", 77, g.alloc(8, 1), 8));
        }
    }

    static String prestatName(TestGuest g, int fd) {
        long p = g.alloc(8, 4);
        g.ok("fd_prestat_get", fd, p);
        assertEquals(0, g.memory.readByte(p), "preopentype dir");
        int len = (int) g.u32At(p + 4);
        long buf = g.alloc(len, 1);
        g.ok("fd_prestat_dir_name", fd, buf, len);
        return new String(g.bytesAt(buf, len), StandardCharsets.UTF_8);
    }

    @Test
    void numbersAreReusedHighestFreedFirst() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int a = g.openFile("a", 1);
            int b = g.openFile("b", 1);
            int c = g.openFile("c", 1);
            assertEquals(4, a);
            assertEquals(5, b);
            assertEquals(6, c);
            g.ok("fd_close", a);
            g.ok("fd_close", b);
            assertEquals(b, g.openFile("d", 1), "as wasmtime: the highest freed number");
            assertEquals(a, g.openFile("e", 1));
            assertEquals(7, g.openFile("f", 1));
        }
    }

    @Test
    void renumberMovesAndClosesTheTarget() throws Exception {
        Files.writeString(dir.resolve("one"), "1");
        Files.writeString(dir.resolve("two"), "2");
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int one = g.openFile("one", 0);
            int two = g.openFile("two", 0);
            g.ok("fd_renumber", one, two);
            assertEquals("1", g.readText(two, 10), "'two' now refers to file one");
            assertEquals(Errno.EBADF, g.call("fd_close", one), "the old number is free");
            assertEquals(Errno.EBADF, g.call("fd_renumber", 77, two));
            assertEquals(Errno.EBADF, g.call("fd_renumber", two, 77), "the target must be open (as wasmtime)");
            g.ok("fd_renumber", two, two);
            assertEquals(one, g.openFile("two", 0), "the freed number is reused");
        }
    }

    @Test
    void renumberOverAPreopenAndStdio() throws Exception {
        Files.writeString(dir.resolve("f"), "file");
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("f", 0);
            g.ok("fd_renumber", fd, 1);
            long out = g.alloc(8, 8);
            g.ok("fd_seek", 1, 0, 0, out);
            assertEquals("file", g.readText(1, 10));
            g.ok("fd_renumber", 3, 0);
            assertEquals(Errno.SUCCESS, g.open(0, 0, "f", 0, Rights.FD_READ, 0, 0), "fd 0 is now the preopen");
            long p = g.alloc(8, 4);
            g.ok("fd_prestat_get", 0, p);
            assertEquals(Errno.EBADF, g.call("fd_prestat_get", 3, p));
        }
    }

    @Test
    void closingAPreopenAndStdio() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            g.ok("fd_close", 3);
            assertEquals(Errno.EBADF, g.call("fd_prestat_get", 3, g.alloc(8, 4)));
            assertEquals(Errno.EBADF, g.open(3, 0, "x", 1, 0, 0, 0));
            g.ok("fd_close", 1);
            assertEquals(Errno.EBADF, g.write(1, new byte[] {1}));
            g.ok("fd_close", 0);
            g.ok("fd_close", 2);
        }
    }

    @Test
    void closeReleasesTheFile() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("x", 1);
            g.writeAll(fd, "data");
            g.ok("fd_close", fd);
            assertEquals("data", Files.readString(dir.resolve("x")));
            assertEquals(Errno.SUCCESS, g.unlink("x"));
        }
    }
}
