package dev.kiln.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * The preview 1 {@code filestat} struct. Read from the host with {@code lstat} semantics (a symlink
 * is described, not its target): callers resolve symlinks themselves inside the sandbox first.
 * {@code dev}, {@code ino} and {@code nlink} are the host's real values where the JDK exposes the
 * {@code unix} attribute view (wasmtime reports {@code dev} 1 and a hash as {@code ino}).
 */
record Filestat(long dev, long ino, int filetype, long nlink, long size, long atim, long mtim, long ctim) {
    /** All zero except the type: what standard streams report, as in wasmtime. */
    static Filestat ofStream(int filetype) {
        return new Filestat(0, 0, filetype, 0, 0, 0, 0, 0);
    }

    /** Describes the entry at {@code path} itself (not following a final symlink). */
    static Filestat of(Path path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            return new Filestat(
                    (Long) a.get("dev"),
                    (Long) a.get("ino"),
                    filetypeOfMode(mode),
                    ((Number) a.get("nlink")).longValue(),
                    (Long) a.get("size"),
                    nanos((FileTime) a.get("lastAccessTime")),
                    nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object key = b.fileKey();
            return new Filestat(1, key != null ? key.hashCode() & 0xFFFF_FFFFL : 0, filetypeOf(b), 1, b.size(),
                    nanos(b.lastAccessTime()), nanos(b.lastModifiedTime()), nanos(b.lastModifiedTime()));
        }
    }

    /** The preview 1 filetype of host attributes read without following links. */
    static int filetypeOf(BasicFileAttributes a) {
        if (a.isSymbolicLink()) return WasiAbi.FILETYPE_SYMBOLIC_LINK;
        if (a.isDirectory()) return WasiAbi.FILETYPE_DIRECTORY;
        if (a.isRegularFile()) return WasiAbi.FILETYPE_REGULAR_FILE;
        return WasiAbi.FILETYPE_UNKNOWN;
    }

    private static int filetypeOfMode(int mode) {
        return switch (mode & 0xF000) {
            case 0xA000 -> WasiAbi.FILETYPE_SYMBOLIC_LINK;
            case 0x4000 -> WasiAbi.FILETYPE_DIRECTORY;
            case 0x8000 -> WasiAbi.FILETYPE_REGULAR_FILE;
            case 0x2000 -> WasiAbi.FILETYPE_CHARACTER_DEVICE;
            case 0x6000 -> WasiAbi.FILETYPE_BLOCK_DEVICE;
            case 0xC000 -> WasiAbi.FILETYPE_SOCKET_STREAM;
            default -> WasiAbi.FILETYPE_UNKNOWN; // FIFO: preview 1 has no code for it
        };
    }

    static long nanos(FileTime t) {
        var i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    Filestat withSize(long newSize) {
        return new Filestat(dev, ino, filetype, nlink, newSize, atim, mtim, ctim);
    }

    /** Writes the struct at an 8-aligned guest address. */
    void write(GuestMemory m, long ptr) {
        m.checkTyped(ptr, WasiAbi.FILESTAT_SIZE, WasiAbi.FILESTAT_ALIGN);
        m.writeU64(ptr + WasiAbi.FILESTAT_DEV, dev);
        m.writeU64(ptr + WasiAbi.FILESTAT_INO, ino);
        m.writeU64(ptr + WasiAbi.FILESTAT_FILETYPE, 0); // filetype byte plus zeroed padding
        m.writeU8(ptr + WasiAbi.FILESTAT_FILETYPE, filetype);
        m.writeU64(ptr + WasiAbi.FILESTAT_NLINK, nlink);
        m.writeU64(ptr + WasiAbi.FILESTAT_SIZE_FIELD, size);
        m.writeU64(ptr + WasiAbi.FILESTAT_ATIM, atim);
        m.writeU64(ptr + WasiAbi.FILESTAT_MTIM, mtim);
        m.writeU64(ptr + WasiAbi.FILESTAT_CTIM, ctim);
    }
}
