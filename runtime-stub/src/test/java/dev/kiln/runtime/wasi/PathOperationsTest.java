package dev.kiln.runtime.wasi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code path_create_directory}, {@code path_remove_directory}, {@code path_unlink_file},
 * {@code path_rename}, {@code path_link}, {@code path_symlink}, {@code path_readlink},
 * {@code path_filestat_get}, including the trailing-slash cases of the test suite.
 */
class PathOperationsTest {
    @TempDir
    Path dir;

    TestGuest g;

    @BeforeEach
    void tree() throws Exception {
        Files.writeString(dir.resolve("file"), "hello world");
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("flink"), Path.of("file"));
        Files.createSymbolicLink(dir.resolve("dlink"), Path.of("sub"));
        g = TestGuest.inDirectory(dir);
    }

    @AfterEach
    void close() {
        g.close();
    }

    @Test
    void createDirectory() {
        assertEquals(Errno.SUCCESS, g.mkdir("d"));
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertEquals(Errno.EEXIST, g.mkdir("d"));
        assertEquals(Errno.EEXIST, g.mkdir("file"));
        assertEquals(Errno.EEXIST, g.mkdir("flink"), "an existing symlink");
        assertEquals(Errno.SUCCESS, g.mkdir("e/"));
        assertEquals(Errno.SUCCESS, g.mkdir("f//"));
        assertEquals(Errno.SUCCESS, g.mkdir("d/nested"));
        assertEquals(Errno.ENOENT, g.mkdir("missing/g"));
        assertEquals(Errno.EEXIST, g.mkdir("."));
        assertEquals(Errno.EEXIST, g.mkdir("d/.."));
        assertEquals(Errno.ENOENT, g.mkdir(""));
        assertEquals(Errno.ENOTDIR, g.mkdir("file/x"));
    }

    @Test
    void removeDirectory() throws Exception {
        Files.createDirectory(dir.resolve("empty"));
        Files.createDirectory(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "");
        assertEquals(Errno.ENOTEMPTY, g.rmdir("full"));
        assertEquals(Errno.ENOTDIR, g.rmdir("file"));
        assertEquals(Errno.ENOTDIR, g.rmdir("file/"));
        assertEquals(Errno.ENOTDIR, g.rmdir("dlink"), "a symlink to a directory is not removed");
        assertEquals(Errno.ENOTDIR, g.rmdir("dlink/"));
        assertTrue(Files.isDirectory(dir.resolve("sub")));
        assertEquals(Errno.ENOENT, g.rmdir("missing"));
        assertEquals(Errno.EINVAL, g.rmdir("."));
        assertEquals(Errno.EINVAL, g.rmdir("sub/."));
        assertEquals(Errno.EINVAL, g.rmdir("sub/.."));
        assertEquals(Errno.SUCCESS, g.rmdir("empty/"), "a trailing slash on a directory is fine (POSIX)");
        assertFalse(Files.exists(dir.resolve("empty")));
        assertEquals(Errno.SUCCESS, g.rmdir("sub"));
    }

    @Test
    void unlinkFile() {
        assertEquals(Errno.EISDIR, g.unlink("sub"));
        assertEquals(Errno.EISDIR, g.unlink("sub/"));
        assertEquals(Errno.EISDIR, g.unlink("."));
        assertEquals(Errno.ENOENT, g.unlink("missing"));
        assertEquals(Errno.ENOTDIR, g.unlink("file/"));
        assertEquals(Errno.ENOTDIR, g.unlink("flink/"), "symlink to a file, with a slash");
        assertEquals(Errno.EISDIR, g.unlink("dlink/"), "symlink to a directory, with a slash");
        assertEquals(Errno.SUCCESS, g.unlink("dlink"), "unlinking a symlink removes the link");
        assertTrue(Files.isDirectory(dir.resolve("sub")));
        assertFalse(Files.exists(dir.resolve("dlink"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Errno.SUCCESS, g.unlink("flink"));
        assertTrue(Files.exists(dir.resolve("file")));
        assertEquals(Errno.SUCCESS, g.unlink("file"));
        assertFalse(Files.exists(dir.resolve("file")));
    }

    @Test
    void renameFilesAndDirectories() throws Exception {
        assertEquals(Errno.SUCCESS, g.rename("file", "renamed"));
        assertEquals("hello world", Files.readString(dir.resolve("renamed")));
        Files.writeString(dir.resolve("other"), "other");
        assertEquals(Errno.SUCCESS, g.rename("other", "renamed"), "replaces an existing file");
        assertEquals("other", Files.readString(dir.resolve("renamed")));
        assertEquals(Errno.EISDIR, g.rename("renamed", "sub"));
        assertEquals(Errno.ENOTDIR, g.rename("sub", "renamed"));
        Files.createDirectory(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "");
        assertEquals(Errno.ENOTEMPTY, g.rename("sub", "full"));
        Files.createDirectory(dir.resolve("empty"));
        assertEquals(Errno.SUCCESS, g.rename("sub", "empty"), "a directory replaces an empty one");
        assertEquals(Errno.EINVAL, g.rename("empty", "empty/inside"));
        assertEquals(Errno.ENOENT, g.rename("missing", "x"));
        assertEquals(Errno.EBUSY, g.rename(".", "x"));
        assertEquals(Errno.EBUSY, g.rename("renamed", "."));
        assertEquals(Errno.SUCCESS, g.rename("renamed", "renamed"), "onto itself");
        assertEquals(Errno.SUCCESS, g.rename("flink", "flink2"), "a symlink is renamed, not its target");
        assertTrue(Files.isSymbolicLink(dir.resolve("flink2")));
    }

    @Test
    void renameTrailingSlashes() throws Exception {
        Files.createDirectory(dir.resolve("d1"));
        assertEquals(Errno.SUCCESS, g.rename("d1/", "d2/"));
        assertTrue(Files.isDirectory(dir.resolve("d2")));
        assertEquals(Errno.SUCCESS, g.rename("d2", "d3/"));
        assertEquals(Errno.ENOTDIR, g.rename("file", "file2/"));
        assertEquals(Errno.ENOTDIR, g.rename("file/", "file2"));
        assertTrue(Files.exists(dir.resolve("file")));
    }

    @Test
    void hardLinks() throws Exception {
        assertEquals(Errno.SUCCESS, g.link(0, "file", "hard"));
        assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, "hard"));
        assertEquals(2, g.statNlink());
        assertEquals(Errno.EEXIST, g.link(0, "file", "hard"));
        assertEquals(Errno.EPERM, g.link(0, "sub", "hardsub"), "directories cannot be linked");
        assertEquals(Errno.ENOENT, g.link(0, "missing", "x"));
        assertEquals(Errno.EINVAL, g.link(1, "flink", "x"), "symlink_follow is not supported (as wasmtime)");
        assertEquals(Errno.SUCCESS, g.link(0, "flink", "hardlink-to-symlink"));
        assertTrue(Files.isSymbolicLink(dir.resolve("hardlink-to-symlink")), "link(2) links the symlink itself");
        assertEquals(Errno.ENOENT, g.link(0, "file", "newname/"));
        assertEquals(Errno.ENOTDIR, g.link(0, "file/", "x"));
        assertEquals(Errno.EEXIST, g.link(0, "file", "."));
    }

    @Test
    void symlinksAndReadlink() throws Exception {
        assertEquals(Errno.SUCCESS, g.symlink("file", "s1"));
        assertEquals("file", Files.readSymbolicLink(dir.resolve("s1")).toString());
        assertEquals("file", g.readlink("s1", 100));
        assertEquals("fi", g.readlink("s1", 2), "truncated to the buffer");
        assertEquals("", g.readlink("s1", 0));
        assertEquals(Errno.SUCCESS, g.symlink("../outside", "escaping"), "creating a link that points out is allowed");
        assertEquals("../outside", g.readlink("escaping", 100));
        assertEquals(Errno.SUCCESS, g.symlink("nothing-here", "dangling"));
        assertEquals(Errno.EPERM, g.symlink("/etc/passwd", "abs"), "absolute targets are refused (as wasmtime)");
        assertEquals(Errno.ENOENT, g.symlink("", "empty"));
        assertEquals(Errno.EEXIST, g.symlink("x", "file"));
        assertEquals(Errno.EEXIST, g.symlink("x", "sub"));
        assertEquals(Errno.EEXIST, g.symlink("x", "."));
        assertEquals(Errno.ENOENT, g.symlink("x", "newlink/"));
        assertNull(g.readlink("file", 10));
        assertEquals(Errno.EINVAL, g.lastErrno, "not a symlink");
        assertNull(g.readlink("missing", 10));
        assertEquals(Errno.ENOENT, g.lastErrno);
        assertNull(g.readlink("dlink/", 10));
        assertEquals(Errno.EINVAL, g.lastErrno, "the slash follows the link to a directory");
        assertNull(g.readlink("flink/", 10));
        assertEquals(Errno.ENOTDIR, g.lastErrno);
        Files.createSymbolicLink(dir.resolve("hostabs"), Path.of("/etc"));
        assertNull(g.readlink("hostabs", 10));
        assertEquals(Errno.EPERM, g.lastErrno, "an absolute target is not revealed (as wasmtime)");
    }

    @Test
    void filestatFollowsOnlyWhenAsked() {
        assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, "flink"));
        assertEquals(7, g.statFiletype());
        assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 1, "flink"));
        assertEquals(4, g.statFiletype());
        assertEquals(11, g.statSize());
        assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, "dlink/"));
        assertEquals(3, g.statFiletype(), "a trailing slash follows");
        assertEquals(Errno.ENOTDIR, g.stat(TestGuest.ROOT, 0, "file/"));
        assertEquals(Errno.ENOENT, g.stat(TestGuest.ROOT, 0, "missing"));
        assertEquals(Errno.ENOENT, g.stat(TestGuest.ROOT, 0, ""));
        assertEquals(Errno.SUCCESS, g.stat(TestGuest.ROOT, 0, "."));
        assertEquals(3, g.statFiletype());
    }

    @Test
    void setTimesOnASymlinkOrItsTarget() throws Exception {
        TestGuest.Str p = g.str("flink");
        long before = Files.getLastModifiedTime(dir.resolve("file")).toMillis();
        g.ok("path_filestat_set_times", TestGuest.ROOT, 0, p.ptr(), p.len(), 0, 3_000_000_000L, 4);
        assertEquals(3_000, Files.getLastModifiedTime(dir.resolve("flink"), LinkOption.NOFOLLOW_LINKS).toMillis());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("file")).toMillis(), "the target is untouched");
        g.ok("path_filestat_set_times", TestGuest.ROOT, 1, p.ptr(), p.len(), 0, 4_000_000_000L, 4);
        assertEquals(4_000, Files.getLastModifiedTime(dir.resolve("file")).toMillis());
        TestGuest.Str missing = g.str("missing");
        assertEquals(Errno.ENOENT, g.call("path_filestat_set_times", TestGuest.ROOT, 0, missing.ptr(), missing.len(), 0, 0, 2));
    }

    @Test
    void directoryOperationsNeedADirectoryDescriptor() {
        int fd = g.openFile("file", 0);
        assertEquals(Errno.EBADF, g.path("path_create_directory", fd, "x"), "as wasmtime");
        assertEquals(Errno.EBADF, g.path("path_unlink_file", 1, "x"));
        assertEquals(Errno.EBADF, g.path("path_remove_directory", 77, "x"));
    }
}
