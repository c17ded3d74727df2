package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way out of a preopened directory fails, with the errno wasmtime gives: {@code EPERM} for an
 * escape ({@code ..} above the directory, an absolute path, an absolute symlink target),
 * {@code ELOOP} for symlink cycles. Layout on the host:
 * <pre>
 *   base/secret               a file the guest must never reach
 *   base/secret-dir/s         another one
 *   base/root/                the preopen ("/", fd 3)
 *   base/root/sub/            a directory inside
 * </pre>
 */
class SandboxEscapeTest {
    private static final int FOLLOW = 1;
    private static final int CREAT = 1;

    @TempDir
    Path base;

    Path root;
    TestGuest g;

    @BeforeEach
    void layout() throws Exception {
        Files.writeString(base.resolve("secret"), "secret");
        Files.createDirectory(base.resolve("secret-dir"));
        Files.writeString(base.resolve("secret-dir/s"), "s");
        root = Files.createDirectory(base.resolve("root"));
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside"), "inside");
        // symlinks placed on the host, pointing out in every way
        Files.createSymbolicLink(root.resolve("abs-file"), base.resolve("secret").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("abs-dir"), base.resolve("secret-dir").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("rel-up"), Path.of("../secret"));
        Files.createSymbolicLink(root.resolve("rel-up-dir"), Path.of("../secret-dir"));
        Files.createSymbolicLink(root.resolve("sub/deep-up"), Path.of("../../secret"));
        Files.createSymbolicLink(root.resolve("sneaky"), Path.of("sub/../../secret"));
        Files.createSymbolicLink(root.resolve("dot-dot"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(root.resolve("sub-link"), Path.of("sub"));
        g = TestGuest.inDirectory(root);
    }

    @AfterEach
    void close() throws Exception {
        g.close();
        assertEquals("secret", Files.readString(base.resolve("secret")), "the outside file is untouched");
        assertEquals("s", Files.readString(base.resolve("secret-dir/s")));
        try (var s = Files.list(base)) {
            assertEquals(List.of("root", "secret", "secret-dir"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "nothing was created outside");
        }
    }

    private Errno open(int lookup, String path, int oflags, long rights) {
        return g.open(TestGuest.ROOT, lookup, path, oflags, rights, rights, 0);
    }

    @Test
    void dotDotChains() {
        for (String p : List.of("..", "../secret", "../root/sub/inside", "sub/../../secret", "sub/../..",
                "./../secret", "sub/./../../secret", "sub/../sub/../../root/sub/inside", "sub/..//..")) {
            assertEquals(Errno.EPERM, open(0, p, 0, Rights.FD_READ), p);
            assertEquals(Errno.EPERM, open(FOLLOW, p, 0, Rights.FD_READ), p);
        }
        assertEquals(Errno.SUCCESS, open(0, "sub/../sub/inside", 0, Rights.FD_READ), ".. inside is fine");
    }

    @Test
    void absolutePaths() {
        for (String p : List.of("/", "/etc/passwd", base.resolve("secret").toString(), root.resolve("sub/inside").toString())) {
            assertEquals(Errno.EPERM, open(0, p, 0, Rights.FD_READ), p);
            assertEquals(Errno.EPERM, g.stat(TestGuest.ROOT, 0, p), p);
            assertEquals(Errno.EPERM, g.mkdir(p + "/x"), p);
        }
    }

    @Test
    void symlinksToOutside() {
        for (String p : List.of("abs-file", "abs-dir", "rel-up", "rel-up-dir", "sub/deep-up", "sneaky", "dot-dot", "to-root")) {
            assertEquals(Errno.EPERM, open(FOLLOW, p, 0, Rights.FD_READ), p);
            assertEquals(Errno.EPERM, g.stat(TestGuest.ROOT, FOLLOW, p), p);
            assertEquals(Errno.ELOOP, open(0, p, 0, Rights.FD_READ), p + " not followed: it is a symlink");
            assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, p), p + ": the link itself is visible");
            assertEquals(7, g.statFiletype());
        }
    }

    @Test
    void symlinksAsIntermediateComponents() {
        for (String p : List.of("abs-dir/s", "rel-up-dir/s", "dot-dot/secret", "to-root/etc/passwd", "dot-dot/root/sub/inside",
                "sub-link/../../secret")) {
            assertEquals(Errno.EPERM, open(0, p, 0, Rights.FD_READ), p);
            assertEquals(Errno.EPERM, open(FOLLOW, p, 0, Rights.FD_READ), p);
            assertEquals(Errno.EPERM, g.stat(TestGuest.ROOT, 0, p), p);
        }
        assertEquals(Errno.SUCCESS, open(0, "sub-link/inside", 0, Rights.FD_READ), "a symlink inside is followed");
        assertEquals(Errno.EPERM, open(FOLLOW, "sub-link/deep-up", 0, Rights.FD_READ), "a symlink reached through one");
        assertEquals(Errno.ELOOP, open(0, "sub-link/deep-up", 0, Rights.FD_READ));
    }

    @Test
    void trailingSlashFollowsButStaysInside() {
        assertEquals(Errno.EPERM, open(0, "abs-dir/", 0, 0));
        assertEquals(Errno.EPERM, open(0, "rel-up-dir/", 0, 0));
        assertEquals(Errno.EPERM, g.stat(TestGuest.ROOT, 0, "dot-dot/"));
    }

    @Test
    void symlinkLoops() {
        for (String p : List.of("loop-a", "loop-b", "self")) {
            assertEquals(Errno.ELOOP, open(FOLLOW, p, 0, 0), p);
            assertEquals(Errno.ELOOP, open(0, p, 0, 0), p + " (nofollow: a symlink)");
            assertEquals(Errno.ELOOP, open(0, p + "/x", 0, 0), p + "/x");
            assertEquals(Errno.ELOOP, g.stat(TestGuest.ROOT, FOLLOW, p), p);
            assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, p), p);
        }
        assertEquals(Errno.ELOOP, g.mkdir("loop-a/x"));
        assertEquals(Errno.ELOOP, open(FOLLOW, "loop-a", CREAT, 0), "creating through a loop");
    }

    @Test
    void longSymlinkChainsHitTheLimit() throws Exception {
        int n = PathResolver.MAX_SYMLINK_EXPANSIONS;
        Files.writeString(root.resolve("end"), "end");
        Files.createSymbolicLink(root.resolve("chain0"), Path.of("end"));
        for (int i = 1; i <= n; i++) Files.createSymbolicLink(root.resolve("chain" + i), Path.of("chain" + (i - 1)));
        assertEquals(Errno.SUCCESS, open(FOLLOW, "chain" + (n - 1), 0, Rights.FD_READ), n + " expansions");
        assertEquals(Errno.ELOOP, open(FOLLOW, "chain" + n, 0, Rights.FD_READ), (n + 1) + " expansions");
    }

    @Test
    void creatingThroughEscapingPathsFails() {
        assertEquals(Errno.EPERM, open(FOLLOW, "rel-up", CREAT, Rights.FD_WRITE), "O_CREAT through a symlink out");
        assertEquals(Errno.EPERM, open(0, "../new", CREAT, Rights.FD_WRITE));
        assertEquals(Errno.EPERM, g.mkdir("../newdir"));
        assertEquals(Errno.EPERM, g.mkdir("rel-up-dir/newdir"));
        assertEquals(Errno.EPERM, g.symlink("x", "../newlink"));
        assertEquals(Errno.EPERM, g.symlink("x", "abs-dir/newlink"));
        assertEquals(Errno.EPERM, g.symlink("/etc/passwd", "new-abs"), "absolute symlink targets are refused");
        assertFalse(Files.exists(root.resolve("new-abs"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void removingOutsideFails() {
        assertEquals(Errno.EPERM, g.unlink("../secret"));
        assertEquals(Errno.EPERM, g.unlink("rel-up-dir/s"));
        assertEquals(Errno.EPERM, g.unlink(".."));
        assertEquals(Errno.EPERM, g.rmdir("../secret-dir"));
        assertEquals(Errno.EPERM, g.rmdir(".."));
        assertEquals(Errno.EPERM, g.rmdir("abs-dir/."));
        assertEquals(Errno.SUCCESS, g.unlink("rel-up"), "unlinking the symlink itself is fine");
        assertTrue(Files.exists(base.resolve("secret")));
    }

    @Test
    void renamesAndLinksToOrFromOutsideFail() {
        assertEquals(Errno.EPERM, g.rename("sub/inside", "../stolen"));
        assertEquals(Errno.EPERM, g.rename("sub/inside", "rel-up-dir/stolen"));
        assertEquals(Errno.EPERM, g.rename("sub/inside", base.resolve("stolen").toString()));
        assertEquals(Errno.EPERM, g.rename("../secret", "here"));
        assertEquals(Errno.EPERM, g.rename("abs-dir/s", "here"));
        assertEquals(Errno.EPERM, g.rename("sub", ".."));
        assertEquals(Errno.EPERM, g.link(0, "sub/inside", "../stolen"));
        assertEquals(Errno.EPERM, g.link(0, "../secret", "here"));
        assertEquals(Errno.EPERM, g.link(0, "rel-up-dir/s", "here"));
        assertEquals(Errno.EPERM, g.link(0, "sub/inside", "abs-dir/stolen"));
        assertFalse(Files.exists(root.resolve("here")));
        assertTrue(Files.exists(root.resolve("sub/inside")));
    }

    @Test
    void readlinkOfAnAbsoluteTargetIsRefused() {
        assertEquals(null, g.readlink("abs-file", 100));
        assertEquals(Errno.EPERM, g.lastErrno);
        assertEquals("../secret", g.readlink("rel-up", 100), "a relative target is only text");
    }

    @Test
    void otherPathOperationsThroughEscapes() {
        TestGuest.Str p = g.str("rel-up");
        assertEquals(Errno.EPERM, g.call("path_filestat_set_times", TestGuest.ROOT, FOLLOW, p.ptr(), p.len(), 0, 0, 2));
        p = g.str("../secret");
        assertEquals(Errno.EPERM, g.call("path_filestat_set_times", TestGuest.ROOT, 0, p.ptr(), p.len(), 0, 0, 2));
        assertEquals(Errno.EPERM, g.readlink("dot-dot/root/rel-up", 10) == null ? g.lastErrno : Errno.SUCCESS);
    }

    @Test
    void anOpenedSubdirectoryIsItsOwnRoot() {
        assertEquals(Errno.SUCCESS, open(0, "sub", 2, Rights.PATH_OPEN | Rights.PATH_FILESTAT_GET));
        int sub = g.lastFd;
        assertEquals(Errno.EPERM, g.open(sub, 0, "..", 0, 0, 0, 0));
        assertEquals(Errno.EPERM, g.open(sub, FOLLOW, "deep-up", 0, 0, 0, 0));
        assertEquals(Errno.EPERM, g.stat(sub, 0, "../sub-link"));
        assertEquals(Errno.SUCCESS, g.stat(sub, 0, "inside"));
    }

    @Test
    void nulBytesAndBadUtf8() {
        assertEquals(Errno.EINVAL, open(0, "sub/inside\0", 0, 0));
        assertEquals(Errno.EINVAL, open(0, "sub\0/../../secret", 0, 0));
        long bad = g.bytes(new byte[] {'s', 'u', 'b', (byte) 0xFF});
        long out = g.alloc(4, 4);
        assertEquals(Errno.EILSEQ, g.call("path_open", TestGuest.ROOT, 0, bad, 4, 0, 0, 0, 0, out));
    }
}
