package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.enumValue;
import static dev.kiln.runtime.wasi.WasiFunctionSet.fd;
import static dev.kiln.runtime.wasi.WasiFunctionSet.u32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Data and offsets: {@code fd_read}, {@code fd_write}, {@code fd_pread}, {@code fd_pwrite},
 * {@code fd_seek}, {@code fd_tell}, {@code fd_readdir}. Files are read and written positionally at
 * the offset this implementation keeps; standard streams are not seekable ({@code ESPIPE}), and
 * directories give {@code EBADF} (as wasmtime).
 */
final class FileIoFunctions {
    private final FdTable table;

    FileIoFunctions(FdTable table) {
        this.table = table;
    }

    void register(WasiFunctionSet set) {
        set.add("fd_read", "iiii", (m, a) -> {
            GuestMemory.Iovecs iovs = m.iovecs(u32(a[1]), u32(a[2]));
            long resultPtr = u32(a[3]);
            m.checkTyped(resultPtr, 4, 4);
            long n = switch (table.get(fd(a[0]))) {
                case FileHandle f -> {
                    f.requireReadable();
                    long read = f.read(m, iovs, f.position);
                    f.position += read;
                    yield read;
                }
                case StdinHandle in -> readStdin(m, in, iovs);
                default -> throw new ErrnoException(Errno.EBADF);
            };
            m.writeU32(resultPtr, n);
        });
        set.add("fd_pread", "iiiIi", (m, a) -> {
            GuestMemory.Iovecs iovs = m.iovecs(u32(a[1]), u32(a[2]));
            long resultPtr = u32(a[4]);
            m.checkTyped(resultPtr, 4, 4);
            long n = switch (table.get(fd(a[0]))) {
                case FileHandle f -> {
                    f.requireReadable();
                    if (a[3] < 0) throw new ErrnoException(Errno.EINVAL);
                    yield f.read(m, iovs, a[3]);
                }
                case StdinHandle in -> throw new ErrnoException(Errno.ESPIPE);
                default -> throw new ErrnoException(Errno.EBADF);
            };
            m.writeU32(resultPtr, n);
        });
        set.add("fd_write", "iiii", (m, a) -> {
            GuestMemory.Iovecs iovs = m.iovecs(u32(a[1]), u32(a[2]));
            long resultPtr = u32(a[3]);
            m.checkTyped(resultPtr, 4, 4);
            long n = switch (table.get(fd(a[0]))) {
                case FileHandle f -> {
                    f.requireWritable();
                    long written = f.write(m, iovs, f.position);
                    f.position = f.append ? f.channel.size() : f.position + written;
                    yield written;
                }
                case OutputHandle out -> writeStream(m, out, iovs);
                default -> throw new ErrnoException(Errno.EBADF);
            };
            m.writeU32(resultPtr, n);
        });
        set.add("fd_pwrite", "iiiIi", (m, a) -> {
            GuestMemory.Iovecs iovs = m.iovecs(u32(a[1]), u32(a[2]));
            long resultPtr = u32(a[4]);
            m.checkTyped(resultPtr, 4, 4);
            long n = switch (table.get(fd(a[0]))) {
                case FileHandle f -> {
                    f.requireWritable();
                    if (a[3] < 0) throw new ErrnoException(Errno.EINVAL);
                    yield f.write(m, iovs, a[3]);
                }
                case OutputHandle out -> throw new ErrnoException(Errno.ESPIPE);
                default -> throw new ErrnoException(Errno.EBADF);
            };
            m.writeU32(resultPtr, n);
        });
        set.add("fd_seek", "iIii", (m, a) -> {
            int whence = enumValue(a[2], WasiAbi.WHENCE_END, "whence");
            long resultPtr = u32(a[3]);
            m.checkTyped(resultPtr, 8, 8);
            FileHandle f = seekable(fd(a[0]));
            long offset = a[1];
            if (offset == 0 && whence == WasiAbi.WHENCE_CUR) {
                f.requireAny(Rights.FD_SEEK | Rights.FD_TELL);
            } else {
                f.require(Rights.FD_SEEK);
            }
            long base = switch (whence) {
                case WasiAbi.WHENCE_SET -> 0;
                case WasiAbi.WHENCE_CUR -> f.position;
                default -> f.channel.size();
            };
            long target;
            try {
                target = Math.addExact(base, offset);
            } catch (ArithmeticException e) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (target < 0) throw new ErrnoException(Errno.EINVAL);
            f.position = target;
            m.writeU64(resultPtr, target);
        });
        set.add("fd_tell", "ii", (m, a) -> {
            long resultPtr = u32(a[1]);
            m.checkTyped(resultPtr, 8, 8);
            FileHandle f = seekable(fd(a[0]));
            f.require(Rights.FD_TELL);
            m.writeU64(resultPtr, f.position);
        });
        set.add("fd_readdir", "iiiIi", (m, a) -> readdir(m, fd(a[0]), u32(a[1]), u32(a[2]), a[3], u32(a[4])));
    }

    /** A file, {@code ESPIPE} for a standard stream, {@code EBADF} otherwise (directories included). */
    private FileHandle seekable(int fd) {
        return switch (table.get(fd)) {
            case FileHandle f -> f;
            case StdinHandle s -> throw new ErrnoException(Errno.ESPIPE);
            case OutputHandle s -> throw new ErrnoException(Errno.ESPIPE);
            default -> throw new ErrnoException(Errno.EBADF);
        };
    }

    /** One blocking read of what is available (at least a byte, or 0 at end of input). */
    private static long readStdin(GuestMemory m, StdinHandle in, GuestMemory.Iovecs iovs) throws IOException {
        in.require(Rights.FD_READ);
        if (iovs.total() == 0) return 0;
        byte[] buf = new byte[(int) Math.min(iovs.total(), GuestMemory.CHUNK)];
        int n = in.stream.read(buf, 0, buf.length);
        if (n <= 0) return 0;
        int done = 0;
        for (int i = 0; i < iovs.count() && done < n; i++) {
            int part = (int) Math.min(iovs.length(i), n - done);
            m.writeBytes(iovs.address(i), buf, done, part);
            done += part;
        }
        return n;
    }

    /** Writes every buffer and flushes: standard output is unbuffered, as the guest expects. */
    private static long writeStream(GuestMemory m, OutputHandle out, GuestMemory.Iovecs iovs) throws IOException {
        out.require(Rights.FD_WRITE);
        for (int i = 0; i < iovs.count(); i++) {
            long addr = iovs.address(i);
            for (long left = iovs.length(i); left > 0; ) {
                int n = (int) Math.min(left, GuestMemory.CHUNK);
                out.out.write(m.readBytes(addr, n));
                addr += n;
                left -= n;
            }
        }
        out.out.flush();
        return iovs.total();
    }

    /** A directory entry as {@code fd_readdir} reports it. */
    private record Entry(byte[] name, long ino, int type) {}

    /**
     * {@code fd_readdir}: fills the buffer with dirents starting at entry number {@code cookie}
     * ({@code .} is 0, {@code ..} is 1, then the host's entries in its order); the last entry written
     * may be cut off, and a full buffer tells the guest to call again from that entry's cookie. The
     * directory is listed afresh on every call, as in wasmtime.
     */
    private void readdir(GuestMemory m, int fd, long buf, long bufLen, long cookie, long resultPtr) throws IOException {
        DirectoryHandle dir = table.directory(fd);
        dir.require(Rights.FD_READDIR);
        m.checkRange(buf, bufLen);
        m.checkTyped(resultPtr, 4, 4);
        List<Entry> entries = new ArrayList<>();
        long selfIno = Filestat.of(dir.hostPath).ino();
        entries.add(new Entry(new byte[] {'.'}, selfIno, WasiAbi.FILETYPE_DIRECTORY));
        entries.add(new Entry(new byte[] {'.', '.'}, selfIno, WasiAbi.FILETYPE_DIRECTORY));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.hostPath)) {
            for (Path p : stream) {
                Filestat st;
                try {
                    st = Filestat.of(p);
                } catch (IOException gone) {
                    continue; // removed while listing
                }
                entries.add(new Entry(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), st.ino(), st.filetype()));
            }
        }
        long used = 0;
        long start = Long.compareUnsigned(cookie, entries.size()) >= 0 ? entries.size() : cookie;
        byte[] header = new byte[WasiAbi.DIRENT_SIZE];
        for (int i = (int) start; i < entries.size() && used < bufLen; i++) {
            Entry e = entries.get(i);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            h.putLong(WasiAbi.DIRENT_NEXT, i + 1L);
            h.putLong(WasiAbi.DIRENT_INO, e.ino());
            h.putInt(WasiAbi.DIRENT_NAMLEN, e.name().length);
            h.put(WasiAbi.DIRENT_TYPE, (byte) e.type());
            int n = (int) Math.min(header.length, bufLen - used);
            m.writeBytes(buf + used, header, 0, n);
            used += n;
            n = (int) Math.min(e.name().length, bufLen - used);
            m.writeBytes(buf + used, e.name(), 0, n);
            used += n;
        }
        m.writeU32(resultPtr, used);
    }
}
