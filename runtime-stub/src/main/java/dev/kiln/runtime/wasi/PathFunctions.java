package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.fd;
import static dev.kiln.runtime.wasi.WasiFunctionSet.flags;
import static dev.kiln.runtime.wasi.WasiFunctionSet.rights;
import static dev.kiln.runtime.wasi.WasiFunctionSet.u32;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.HashSet;
import java.util.Set;

/**
 * Everything that takes a path: {@code path_open}, {@code path_create_directory},
 * {@code path_filestat_get}, {@code path_filestat_set_times}, {@code path_link},
 * {@code path_readlink}, {@code path_remove_directory}, {@code path_rename}, {@code path_symlink},
 * {@code path_unlink_file}. Paths are resolved by {@link PathResolver}, so none leaves its directory
 * descriptor. Errnos follow wasmtime on Linux, and POSIX where that wasmtime deviates from it for
 * trailing slashes (see {@link WasiPreview1}).
 */
final class PathFunctions {
    private final FdTable table;

    PathFunctions(FdTable table) {
        this.table = table;
    }

    void register(WasiFunctionSet set) {
        set.add("path_open", "iiiiiIIii", this::open);
        set.add("path_create_directory", "iii", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_CREATE_DIRECTORY);
            PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path(m, a[1], a[2]), false);
            if (r.name() == null || r.exists()) throw new ErrnoException(Errno.EEXIST);
            Files.createDirectory(r.path());
        });
        set.add("path_filestat_get", "iiiii", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_FILESTAT_GET);
            boolean follow = flags(a[1], WasiAbi.LOOKUPFLAGS_ALL, "lookupflags") != 0;
            String path = path(m, a[2], a[3]);
            long ptr = u32(a[4]);
            m.checkTyped(ptr, WasiAbi.FILESTAT_SIZE, WasiAbi.FILESTAT_ALIGN);
            Filestat.of(lookup(dir, path, follow).path()).write(m, ptr);
        });
        set.add("path_filestat_set_times", "iiiiIIi", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_FILESTAT_SET_TIMES);
            boolean follow = flags(a[1], WasiAbi.LOOKUPFLAGS_ALL, "lookupflags") != 0;
            NewTimestamps times = NewTimestamps.of(a[4], a[5], flags(a[6], WasiAbi.FSTFLAGS_ALL, "fstflags"));
            PathResolver.Resolved r = lookup(dir, path(m, a[2], a[3]), follow);
            if (!times.changesNothing()) {
                Files.getFileAttributeView(r.path(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(times.mtime(), times.atime(), null);
            }
        });
        set.add("path_link", "iiiiiii", this::link);
        set.add("path_readlink", "iiiiii", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_READLINK);
            String path = path(m, a[1], a[2]);
            long buf = u32(a[3]);
            long bufLen = u32(a[4]);
            long resultPtr = u32(a[5]);
            m.checkRange(buf, bufLen);
            m.checkTyped(resultPtr, 4, 4);
            PathResolver.Resolved r = lookup(dir, path, false);
            if (!r.isSymlink()) throw new ErrnoException(Errno.EINVAL);
            String target = Files.readSymbolicLink(r.path()).toString();
            if (target.startsWith("/")) throw new ErrnoException(Errno.EPERM); // as wasmtime: would point outside
            byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(bytes.length, bufLen);
            m.writeBytes(buf, bytes, 0, n);
            m.writeU32(resultPtr, n);
        });
        set.add("path_remove_directory", "iii", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_REMOVE_DIRECTORY);
            PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path(m, a[1], a[2]), false);
            if (r.name() == null) throw new ErrnoException(Errno.EINVAL); // "." or ".."
            if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
            if (!r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR); // symlinks included
            Files.delete(r.path());
        });
        set.add("path_rename", "iiiiii", this::rename);
        set.add("path_symlink", "iiiii", (m, a) -> {
            DirectoryHandle dir = directory(a[2], Rights.PATH_SYMLINK);
            String target = path(m, a[0], a[1]);
            String path = path(m, a[3], a[4]);
            if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
            if (target.startsWith("/")) throw new ErrnoException(Errno.EPERM); // as wasmtime
            if (target.indexOf('\0') >= 0) throw new ErrnoException(Errno.EINVAL);
            PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path, false);
            if (r.name() == null || r.exists()) throw new ErrnoException(Errno.EEXIST);
            if (r.trailingSlash()) throw new ErrnoException(Errno.ENOENT);
            Files.createSymbolicLink(r.path(), Path.of(target));
        });
        set.add("path_unlink_file", "iii", (m, a) -> {
            DirectoryHandle dir = directory(a[0], Rights.PATH_UNLINK_FILE);
            String path = path(m, a[1], a[2]);
            PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path, false);
            if (r.name() == null || r.isDirectory()) throw new ErrnoException(Errno.EISDIR);
            if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
            if (r.trailingSlash()) {
                // "name/" must be a directory: a symlink to one is EISDIR, anything else ENOTDIR
                throw new ErrnoException(r.isSymlink() && followsToDirectory(dir, path) ? Errno.EISDIR : Errno.ENOTDIR);
            }
            Files.delete(r.path());
        });
    }

    // ---- path_open ----

    private void open(GuestMemory m, long[] a) throws IOException {
        Descriptor base = table.get(fd(a[0]));
        if (base instanceof FileHandle) throw new ErrnoException(Errno.ENOTDIR); // as wasmtime
        if (!(base instanceof DirectoryHandle dir)) throw new ErrnoException(Errno.EBADF);
        boolean follow = flags(a[1], WasiAbi.LOOKUPFLAGS_ALL, "lookupflags") != 0;
        int oflags = flags(a[4], WasiAbi.OFLAGS_ALL, "oflags");
        long requestedBase = rights(a[5]);
        long requestedInheriting = rights(a[6]);
        int fdflags = flags(a[7], WasiAbi.FDFLAGS_ALL, "fdflags");
        long resultPtr = u32(a[8]);
        boolean creat = (oflags & WasiAbi.OFLAGS_CREAT) != 0;
        boolean excl = (oflags & WasiAbi.OFLAGS_EXCL) != 0;
        boolean trunc = (oflags & WasiAbi.OFLAGS_TRUNC) != 0;
        boolean directory = (oflags & WasiAbi.OFLAGS_DIRECTORY) != 0;

        dir.require(Rights.PATH_OPEN);
        if (creat) dir.require(Rights.PATH_CREATE_FILE);
        if (trunc) dir.require(Rights.PATH_FILESTAT_SET_SIZE);
        String path = path(m, a[2], a[3]);
        m.checkTyped(resultPtr, 4, 4);
        if (directory && (creat || trunc)) throw new ErrnoException(Errno.EINVAL);

        // O_CREAT|O_EXCL never follows a final symlink; a trailing slash always does
        boolean followFinal = (follow && !(creat && excl)) || path.endsWith("/");
        PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path, followFinal);
        long rightsBase = requestedBase & dir.rightsInheriting();
        long rightsInheriting = requestedInheriting & dir.rightsInheriting();

        if (!r.exists()) {
            if (!creat) throw new ErrnoException(Errno.ENOENT);
            if (r.trailingSlash()) throw new ErrnoException(Errno.EISDIR);
            try {
                Files.createFile(r.path());
            } catch (FileAlreadyExistsException raced) {
                if (excl) throw new ErrnoException(Errno.EEXIST);
            }
        } else {
            if (creat && excl) throw new ErrnoException(Errno.EEXIST);
            if (r.isSymlink()) throw new ErrnoException(Errno.ELOOP); // O_NOFOLLOW on a symlink
            if ((directory || r.trailingSlash()) && !r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            if (r.isDirectory()) {
                if (creat || trunc || Rights.contains(requestedBase, Rights.FD_WRITE)) {
                    throw new ErrnoException(Errno.EISDIR);
                }
                long notForDirectories = Rights.FD_SEEK | Rights.FD_FILESTAT_SET_SIZE;
                // r.path() is already real: every directory on it was checked not to be a symlink
                DirectoryHandle opened = new DirectoryHandle(r.path(), null,
                        rightsBase & ~notForDirectories, rightsInheriting);
                m.writeU32(resultPtr, table.add(opened));
                return;
            }
        }
        FileHandle file = openFile(r.path(), rightsBase, rightsInheriting, trunc, fdflags);
        m.writeU32(resultPtr, table.add(file));
    }

    /**
     * Opens a file for the rights granted: for writing with {@code fd_write}, for reading with
     * {@code fd_read} or when neither is granted (as wasmtime, so the open succeeds on any file).
     */
    private static FileHandle openFile(Path path, long rightsBase, long rightsInheriting, boolean trunc, int fdflags)
            throws IOException {
        boolean writable = Rights.contains(rightsBase, Rights.FD_WRITE);
        boolean readable = Rights.contains(rightsBase, Rights.FD_READ) || !writable;
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (readable) options.add(StandardOpenOption.READ);
        if (writable) {
            options.add(StandardOpenOption.WRITE);
            if (trunc) options.add(StandardOpenOption.TRUNCATE_EXISTING);
            if ((fdflags & WasiAbi.FDFLAGS_DSYNC) != 0) options.add(StandardOpenOption.DSYNC);
            if ((fdflags & (WasiAbi.FDFLAGS_SYNC | WasiAbi.FDFLAGS_RSYNC)) != 0) options.add(StandardOpenOption.SYNC);
        } else if (trunc) {
            // O_TRUNC without write access to the data: truncate through a short-lived write channel
            FileChannel.open(path, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close();
        }
        FileChannel channel = FileChannel.open(path, options);
        try {
            return new FileHandle(channel, path, Filestat.of(path), readable, writable, fdflags, rightsBase, rightsInheriting);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    // ---- path_link, path_rename ----

    private void link(GuestMemory m, long[] a) throws IOException {
        DirectoryHandle from = directory(a[0], Rights.PATH_LINK_SOURCE);
        int lookup = flags(a[1], WasiAbi.LOOKUPFLAGS_ALL, "lookupflags");
        DirectoryHandle to = directory(a[4], Rights.PATH_LINK_TARGET);
        String oldPath = path(m, a[2], a[3]);
        String newPath = path(m, a[5], a[6]);
        if (lookup != 0) throw new ErrnoException(Errno.EINVAL); // following the source: unsupported, as wasmtime
        PathResolver.Resolved source = lookup(from, oldPath, false);
        if (source.isDirectory()) throw new ErrnoException(Errno.EPERM);
        PathResolver.Resolved target = PathResolver.resolve(to.hostPath, newPath, false);
        if (target.name() == null || target.exists()) throw new ErrnoException(Errno.EEXIST);
        if (target.trailingSlash()) throw new ErrnoException(Errno.ENOENT);
        Files.createLink(target.path(), source.path()); // link(2): a symlink source is linked itself
    }

    private void rename(GuestMemory m, long[] a) throws IOException {
        DirectoryHandle from = directory(a[0], Rights.PATH_RENAME_SOURCE);
        DirectoryHandle to = directory(a[3], Rights.PATH_RENAME_TARGET);
        String oldPath = path(m, a[1], a[2]);
        String newPath = path(m, a[4], a[5]);
        PathResolver.Resolved source = PathResolver.resolve(from.hostPath, oldPath, false);
        PathResolver.Resolved target = PathResolver.resolve(to.hostPath, newPath, false);
        if (source.name() == null || target.name() == null) throw new ErrnoException(Errno.EBUSY);
        if (!source.exists()) throw new ErrnoException(Errno.ENOENT);
        boolean sourceIsDir = source.isDirectory();
        if ((source.trailingSlash() || target.trailingSlash()) && !sourceIsDir) throw new ErrnoException(Errno.ENOTDIR);
        Path src = source.path();
        Path dst = target.path();
        if (target.exists()) {
            Object key = source.attrs().fileKey();
            if (key != null && key.equals(target.attrs().fileKey())) {
                return; // rename(2) of a file onto itself (or a hard link to it) does nothing
            }
            if (sourceIsDir && !target.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            if (!sourceIsDir && target.isDirectory()) throw new ErrnoException(Errno.EISDIR);
        }
        if (sourceIsDir && dst.startsWith(src) && !dst.equals(src)) throw new ErrnoException(Errno.EINVAL);
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE); // rename(2)
    }

    // ---- helpers ----

    /** The directory descriptor {@code raw} with right {@code right}: {@code EBADF}/{@code ENOTCAPABLE}. */
    private DirectoryHandle directory(long raw, long right) {
        DirectoryHandle dir = table.directory(fd(raw));
        dir.require(right);
        return dir;
    }

    /** Reads a path argument (UTF-8; {@code EILSEQ} otherwise). */
    private static String path(GuestMemory m, long ptr, long len) {
        return m.readString(u32(ptr), u32(len));
    }

    /**
     * Resolves a path that must name an existing entry: {@code ENOENT} when it does not, and with a
     * trailing slash the final symlink is followed and the entry must be a directory ({@code ENOTDIR}).
     */
    private static PathResolver.Resolved lookup(DirectoryHandle dir, String path, boolean follow) throws IOException {
        PathResolver.Resolved r = PathResolver.resolve(dir.hostPath, path, follow || path.endsWith("/"));
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.trailingSlash() && !r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        return r;
    }

    private static boolean followsToDirectory(DirectoryHandle dir, String path) {
        try {
            return PathResolver.resolve(dir.hostPath, path, true).isDirectory();
        } catch (IOException | ErrnoException e) {
            return false;
        }
    }
}
