package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fd_readdir}: dirent layout, "." and "..", cookies, and buffers too small for an entry. */
class ReaddirTest {
    @TempDir
    Path dir;

    record Dirent(long next, long ino, int type, String name) {}

    /** One call: parses the complete entries in the buffer; returns them and the bytes used. */
    static List<Dirent> readdirOnce(TestGuest g, int fd, int bufLen, long cookie, long[] used) {
        long buf = g.alloc(bufLen, 8);
        long out = g.alloc(4, 4);
        g.ok("fd_readdir", fd, buf, bufLen, cookie, out);
        used[0] = g.u32At(out);
        ByteBuffer b = ByteBuffer.wrap(g.bytesAt(buf, (int) used[0])).order(ByteOrder.LITTLE_ENDIAN);
        List<Dirent> entries = new ArrayList<>();
        while (b.remaining() >= 24) {
            long next = b.getLong(b.position());
            long ino = b.getLong(b.position() + 8);
            int namlen = b.getInt(b.position() + 16);
            int type = b.get(b.position() + 20);
            if (b.remaining() < 24 + namlen) break;
            byte[] name = new byte[namlen];
            b.position(b.position() + 24);
            b.get(name);
            entries.add(new Dirent(next, ino, type, new String(name, StandardCharsets.UTF_8)));
        }
        return entries;
    }

    /** Reads the whole directory the way wasi-libc does: refill from the last complete entry's cookie. */
    static List<Dirent> readAll(TestGuest g, int fd, int bufLen) {
        List<Dirent> all = new ArrayList<>();
        long cookie = 0;
        long[] used = new long[1];
        for (int calls = 0; calls < 10_000; calls++) {
            List<Dirent> got = readdirOnce(g, fd, bufLen, cookie, used);
            all.addAll(got);
            if (used[0] < bufLen) return all;
            if (got.isEmpty()) throw new AssertionError("buffer of " + bufLen + " bytes holds no whole entry");
            cookie = got.getLast().next();
        }
        throw new AssertionError("no end");
    }

    private void populate(int files) throws IOException {
        Files.createDirectory(dir.resolve("subdir"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("subdir"));
        for (int i = 0; i < files; i++) Files.writeString(dir.resolve("file-" + i + "-" + "x".repeat(i % 7)), "");
    }

    @Test
    void entriesWithTypesInodesAndCookies() throws Exception {
        populate(3);
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            List<Dirent> all = readAll(g, TestGuest.ROOT, 4096);
            assertEquals(".", all.get(0).name());
            assertEquals("..", all.get(1).name());
            Map<String, Dirent> byName = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).next(), "d_next is the next entry's cookie");
                byName.put(all.get(i).name(), all.get(i));
            }
            assertEquals(3, byName.get(".").type());
            assertEquals(3, byName.get("subdir").type());
            assertEquals(7, byName.get("link").type());
            assertEquals(4, byName.get("file-0-").type());
            assertEquals(Files.getAttribute(dir.resolve("subdir"), "unix:ino"), byName.get("subdir").ino());
            assertEquals(2 + 2 + 3, all.size());
        }
    }

    @Test
    void cookiePastTheEndReturnsNothing() throws Exception {
        populate(1);
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long[] used = new long[1];
            assertTrue(readdirOnce(g, TestGuest.ROOT, 256, 100, used).isEmpty());
            assertEquals(0, used[0]);
            readdirOnce(g, TestGuest.ROOT, 256, -1, used);
            assertEquals(0, used[0]);
        }
    }

    @Test
    void aTooSmallBufferIsFilledWithAPartialEntry() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long[] used = new long[1];
            assertTrue(readdirOnce(g, TestGuest.ROOT, 10, 0, used).isEmpty());
            assertEquals(10, used[0], "a full buffer means: call again");
            assertEquals(1, readdirOnce(g, TestGuest.ROOT, 25, 0, used).size());
            assertEquals(25, used[0]);
        }
    }

    @Test
    void readdirNeedsADirectory() throws Exception {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("f", 1);
            assertEquals(Errno.EBADF, g.call("fd_readdir", fd, g.alloc(64, 8), 64, 0, g.alloc(4, 4)));
            assertEquals(Errno.EBADF, g.call("fd_readdir", 1, g.alloc(64, 8), 64, 0, g.alloc(4, 4)));
        }
    }

    @Property(tries = 30)
    void anyBufferSizeYieldsEveryEntryOnce(@ForAll @IntRange(min = 0, max = 40) int files,
                                           @ForAll @IntRange(min = 40, max = 600) int bufLen) {
        try {
            Path d = Files.createTempDirectory("readdir");
            try {
                for (int i = 0; i < files; i++) Files.writeString(d.resolve("entry-" + i + "é".repeat(i % 5)), "");
                try (TestGuest g = TestGuest.inDirectory(d)) {
                    List<Dirent> all = readAll(g, TestGuest.ROOT, bufLen);
                    TreeSet<String> names = new TreeSet<>();
                    for (Dirent e : all) assertTrue(names.add(e.name()), "duplicate " + e.name());
                    assertEquals(files + 2, names.size());
                    assertTrue(names.contains(".") && names.contains(".."));
                }
            } finally {
                try (var s = Files.list(d)) {
                    for (Path p : s.toList()) Files.delete(p);
                }
                Files.delete(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
