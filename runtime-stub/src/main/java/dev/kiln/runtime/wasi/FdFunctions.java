package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.enumValue;
import static dev.kiln.runtime.wasi.WasiFunctionSet.fd;
import static dev.kiln.runtime.wasi.WasiFunctionSet.flags;
import static dev.kiln.runtime.wasi.WasiFunctionSet.rights;
import static dev.kiln.runtime.wasi.WasiFunctionSet.u32;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributeView;

/**
 * Descriptor bookkeeping and metadata: {@code fd_advise}, {@code fd_allocate}, {@code fd_close},
 * {@code fd_datasync}, {@code fd_sync}, {@code fd_fdstat_*}, {@code fd_filestat_*},
 * {@code fd_prestat_*}, {@code fd_renumber}. Errnos follow wasmtime: operations meant for files give
 * {@code EBADF} on directories and standard streams.
 */
final class FdFunctions {
    private final FdTable table;

    FdFunctions(FdTable table) {
        this.table = table;
    }

    void register(WasiFunctionSet set) {
        set.add("fd_advise", "iIIi", (m, a) -> {
            enumValue(a[3], WasiAbi.ADVICE_MAX, "advice");
            table.file(fd(a[0])).require(Rights.FD_ADVISE); // advice is only a hint: nothing to do
        });
        set.add("fd_allocate", "iII", (m, a) -> allocate(table.file(fd(a[0])), a[1], a[2]));
        set.add("fd_close", "i", (m, a) -> table.close(fd(a[0])));
        set.add("fd_datasync", "i", (m, a) -> {
            FileHandle f = table.file(fd(a[0]));
            f.require(Rights.FD_DATASYNC);
            f.channel.force(false);
        });
        set.add("fd_sync", "i", (m, a) -> {
            FileHandle f = table.file(fd(a[0]));
            f.require(Rights.FD_SYNC);
            f.channel.force(true);
        });
        set.add("fd_fdstat_get", "ii", (m, a) -> {
            Descriptor d = table.get(fd(a[0]));
            long ptr = u32(a[1]);
            m.checkTyped(ptr, WasiAbi.FDSTAT_SIZE, WasiAbi.FDSTAT_ALIGN);
            m.writeU64(ptr, 0); // filetype, padding, flags, padding
            m.writeU8(ptr + WasiAbi.FDSTAT_FILETYPE, d.filetype());
            m.writeU16(ptr + WasiAbi.FDSTAT_FLAGS, d.fdflags());
            m.writeU64(ptr + WasiAbi.FDSTAT_RIGHTS_BASE, d.rightsBase());
            m.writeU64(ptr + WasiAbi.FDSTAT_RIGHTS_INHERITING, d.rightsInheriting());
        });
        set.add("fd_fdstat_set_flags", "ii", (m, a) -> {
            int flags = flags(a[1], WasiAbi.FDFLAGS_ALL, "fdflags");
            FileHandle f = table.file(fd(a[0]));
            f.require(Rights.FD_FDSTAT_SET_FLAGS);
            // only append and nonblock can change after open, as in wasmtime
            if ((flags & (WasiAbi.FDFLAGS_DSYNC | WasiAbi.FDFLAGS_RSYNC | WasiAbi.FDFLAGS_SYNC)) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            f.append = (flags & WasiAbi.FDFLAGS_APPEND) != 0;
            f.nonblock = (flags & WasiAbi.FDFLAGS_NONBLOCK) != 0;
        });
        set.add("fd_fdstat_set_rights", "iII", (m, a) -> {
            long base = rights(a[1]);
            long inheriting = rights(a[2]);
            table.get(fd(a[0])).restrictRights(base, inheriting);
        });
        set.add("fd_filestat_get", "ii", (m, a) -> {
            Descriptor d = table.get(fd(a[0]));
            long ptr = u32(a[1]);
            m.checkTyped(ptr, WasiAbi.FILESTAT_SIZE, WasiAbi.FILESTAT_ALIGN);
            Filestat st = switch (d) {
                case FileHandle f -> {
                    f.require(Rights.FD_FILESTAT_GET);
                    yield f.stat();
                }
                case DirectoryHandle dir -> {
                    dir.require(Rights.FD_FILESTAT_GET);
                    yield Filestat.of(dir.hostPath);
                }
                default -> Filestat.ofStream(d.filetype());
            };
            st.write(m, ptr);
        });
        set.add("fd_filestat_set_size", "iI", (m, a) -> {
            FileHandle f = table.file(fd(a[0]));
            f.require(Rights.FD_FILESTAT_SET_SIZE);
            if (!f.writable || a[1] < 0) throw new ErrnoException(Errno.EINVAL); // ftruncate semantics
            f.setSize(a[1]);
        });
        set.add("fd_filestat_set_times", "iIIi", (m, a) -> {
            NewTimestamps times = NewTimestamps.of(a[1], a[2], flags(a[3], WasiAbi.FSTFLAGS_ALL, "fstflags"));
            Descriptor d = table.get(fd(a[0]));
            switch (d) {
                case FileHandle f -> {
                    f.require(Rights.FD_FILESTAT_SET_TIMES);
                    if (!times.changesNothing()) f.setTimes(times.atime(), times.mtime());
                }
                case DirectoryHandle dir -> {
                    dir.require(Rights.FD_FILESTAT_SET_TIMES);
                    if (!times.changesNothing()) {
                        Files.getFileAttributeView(dir.hostPath, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .setTimes(times.mtime(), times.atime(), null);
                    }
                }
                default -> throw new ErrnoException(Errno.EBADF);
            }
        });
        set.add("fd_prestat_get", "ii", (m, a) -> {
            Descriptor d = table.get(fd(a[0]));
            if (!(d instanceof DirectoryHandle dir) || dir.preopenName == null) throw new ErrnoException(Errno.EBADF);
            long ptr = u32(a[1]);
            m.checkTyped(ptr, WasiAbi.PRESTAT_SIZE, WasiAbi.PRESTAT_ALIGN);
            m.writeU32(ptr, 0); // tag and padding
            m.writeU8(ptr + WasiAbi.PRESTAT_TAG, WasiAbi.PREOPENTYPE_DIR);
            m.writeU32(ptr + WasiAbi.PRESTAT_NAME_LEN, dir.preopenName.getBytes(StandardCharsets.UTF_8).length);
        });
        set.add("fd_prestat_dir_name", "iii", (m, a) -> {
            Descriptor d = table.get(fd(a[0]));
            if (!(d instanceof DirectoryHandle dir) || dir.preopenName == null) throw new ErrnoException(Errno.ENOTDIR);
            byte[] name = dir.preopenName.getBytes(StandardCharsets.UTF_8);
            if (name.length > u32(a[2])) throw new ErrnoException(Errno.ENAMETOOLONG);
            m.writeBytes(u32(a[1]), name, 0, name.length);
        });
        set.add("fd_renumber", "ii", (m, a) -> table.renumber(fd(a[0]), fd(a[1])));
    }

    /** {@code posix_fallocate}: makes the file at least {@code offset + len} long; never shrinks. */
    private static void allocate(FileHandle f, long offset, long len) throws IOException {
        f.require(Rights.FD_ALLOCATE);
        if (offset < 0 || len < 0) throw new ErrnoException(Errno.EINVAL);
        long end = offset + len;
        if (end < 0) throw new ErrnoException(Errno.EFBIG);
        if (!f.writable) throw new ErrnoException(Errno.EBADF);
        if (end > f.channel.size()) f.setSize(end);
    }
}
