package dev.kiln.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;

/**
 * A descriptor for a file (or another non-directory) opened with {@code path_open}: a
 * {@link FileChannel} plus the guest-visible offset, which this class keeps itself (reads and writes
 * are positional, as in wasmtime). With {@code fdflags.append} every write goes to the end of the
 * file, {@code fd_pwrite} included (Linux {@code pwrite} semantics, as wasmtime).
 *
 * <p>The JDK cannot {@code fstat} a channel, so metadata comes from the path the file was opened at,
 * checked against the device and inode recorded at open; if the path no longer names this file
 * (it was renamed or unlinked), {@code fd_filestat_get} reports the attributes recorded at open with
 * the current size, and {@code fd_filestat_set_times} fails with {@code ENOTSUP}.
 */
final class FileHandle extends Descriptor {
    final FileChannel channel;
    final Path hostPath;
    final boolean readable;
    final boolean writable;
    private final Filestat atOpen;
    /** The dsync/rsync/sync fdflags the file was opened with. */
    private final int syncFlags;
    long position;
    boolean append;
    boolean nonblock;

    FileHandle(FileChannel channel, Path hostPath, Filestat atOpen, boolean readable, boolean writable,
               int fdflags, long rightsBase, long rightsInheriting) {
        super(rightsBase, rightsInheriting);
        this.channel = channel;
        this.hostPath = hostPath;
        this.atOpen = atOpen;
        this.readable = readable;
        this.writable = writable;
        this.syncFlags = fdflags & (WasiAbi.FDFLAGS_DSYNC | WasiAbi.FDFLAGS_RSYNC | WasiAbi.FDFLAGS_SYNC);
        this.append = (fdflags & WasiAbi.FDFLAGS_APPEND) != 0;
        this.nonblock = (fdflags & WasiAbi.FDFLAGS_NONBLOCK) != 0;
    }

    @Override
    int filetype() {
        return atOpen.filetype();
    }

    @Override
    int fdflags() {
        return syncFlags | (append ? WasiAbi.FDFLAGS_APPEND : 0) | (nonblock ? WasiAbi.FDFLAGS_NONBLOCK : 0);
    }

    /** {@code EBADF} unless readable (right and host mode), as wasmtime for a file not opened for reading. */
    void requireReadable() {
        if (!readable || !Rights.contains(rightsBase(), Rights.FD_READ)) throw new ErrnoException(Errno.EBADF);
    }

    /** {@code EBADF} unless writable (right and host mode). */
    void requireWritable() {
        if (!writable || !Rights.contains(rightsBase(), Rights.FD_WRITE)) throw new ErrnoException(Errno.EBADF);
    }

    /** Current attributes of the open file (see the class comment for a file no longer at its path). */
    Filestat stat() throws IOException {
        Path current = currentPath();
        Filestat now = current != null ? Filestat.of(current) : atOpen;
        return now.withSize(channel.size());
    }

    /** The host path if it still names this file, else null. */
    private Path currentPath() {
        try {
            Filestat now = Filestat.of(hostPath);
            return now.dev() == atOpen.dev() && now.ino() == atOpen.ino() ? hostPath : null;
        } catch (IOException e) {
            return null;
        }
    }

    void setTimes(FileTime atime, FileTime mtime) throws IOException {
        Path current = currentPath();
        if (current == null) throw new ErrnoException(Errno.ENOTSUP);
        Files.getFileAttributeView(current, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(mtime, atime, null);
    }

    /** Reads into the buffers from {@code offset} until they are full or the file ends. */
    long read(GuestMemory m, GuestMemory.Iovecs iovs, long offset) throws IOException {
        long total = 0;
        byte[] chunk = new byte[(int) Math.min(GuestMemory.CHUNK, Math.max(1, iovs.total()))];
        for (int i = 0; i < iovs.count(); i++) {
            long addr = iovs.address(i);
            long left = iovs.length(i);
            while (left > 0) {
                int want = (int) Math.min(left, chunk.length);
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, want);
                int n = 0;
                while (bb.hasRemaining()) {
                    int r = channel.read(bb, offset + total + n);
                    if (r <= 0) break;
                    n += r;
                }
                if (n > 0) m.writeBytes(addr, chunk, 0, n);
                total += n;
                addr += n;
                left -= n;
                if (n < want) return total;
            }
        }
        return total;
    }

    /** Writes all the buffers at {@code offset} (at the end of the file in append mode). */
    long write(GuestMemory m, GuestMemory.Iovecs iovs, long offset) throws IOException {
        long at = append ? channel.size() : offset;
        long total = 0;
        for (int i = 0; i < iovs.count(); i++) {
            long addr = iovs.address(i);
            long left = iovs.length(i);
            while (left > 0) {
                int n = (int) Math.min(left, GuestMemory.CHUNK);
                ByteBuffer bb = ByteBuffer.wrap(m.readBytes(addr, n));
                while (bb.hasRemaining()) at += channel.write(bb, at);
                total += n;
                addr += n;
                left -= n;
            }
        }
        return total;
    }

    /** Sets the size, growing with zeros (the JDK only truncates, so growth writes the last byte). */
    void setSize(long size) throws IOException {
        long current = channel.size();
        if (size < current) {
            channel.truncate(size);
        } else if (size > current) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
