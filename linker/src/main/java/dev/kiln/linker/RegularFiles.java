package dev.kiln.linker;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;


/**
 * Reads files that must be regular files (code cache entries) without ever blocking: a FIFO, a
 * device or a socket at the path is opened with {@code O_NONBLOCK} (so opening it does not wait for
 * a writer), recognised through {@code /proc/self/fd} and refused with {@link NotRegular}, before a
 * single byte is read. Linux only, like the rest of the native side.
 */
public final class RegularFiles {
    private static final int O_RDONLY = 0, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    private static final int ENOENT = 2, EACCES = 13;

    private RegularFiles() {
    }

    /** The path does not name a regular file (the message says what it is). */
    public static final class NotRegular extends IOException {
        NotRegular(Path path, String what) {
            super(path + " is " + what + ", not a regular file");
        }
    }

    /** The file's bytes; refuses anything but a regular file, and files over {@code maxBytes} ({@link CorruptObjectException}). */
    public static byte[] read(Path path, long maxBytes) throws IOException, CorruptObjectException {
        try (FileChannel in = open(path)) {
            long size = in.size();
            if (size > maxBytes) {
                throw new CorruptObjectException("entry is " + size + " bytes, more than the " + maxBytes + "-byte limit");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining()) {
                if (in.read(b) < 0) throw new CorruptObjectException("entry shrank while it was read");
            }
            return b.array();
        }
    }

    /**
     * A channel reading the file at {@code path} (mapped cache objects are opened this way); refuses
     * anything but a regular file with {@link NotRegular}, without blocking.
     */
    public static FileChannel open(Path path) throws IOException {
        int fd = openNonBlocking(path);
        try {
            Path opened = Path.of("/proc/self/fd/" + fd);
            BasicFileAttributes a = Files.readAttributes(opened, BasicFileAttributes.class);
            if (!a.isRegularFile()) throw new NotRegular(path, a.isDirectory() ? "a directory" : "a special file (FIFO, device or socket)");
            // the same file again, now known to be regular: opening it cannot block
            return FileChannel.open(opened, StandardOpenOption.READ);
        } finally {
            close(fd);
        }
    }

    /** A plain-words reason for a failed file operation ({@code Read-only file system}, not an exception's class name). */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason();
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    private static int openNonBlocking(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CFunction.CAPTURE);
            int fd = (int) Libc.OPEN.call(capture, arena.allocateFrom(path.toString()).address(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) return fd;
            int errno = CFunction.errno(capture);
            if (errno == ENOENT) throw new NoSuchFileException(path.toString());
            if (errno == EACCES) throw new AccessDeniedException(path.toString());
            throw new FileSystemException(path.toString(), null, PosixMemory.describe(errno));
        }
    }

    private static void close(int fd) {
        try {
            Libc.CLOSE.callInt(fd);
        } catch (RuntimeException t) {
            // nothing useful to do: the descriptor was only read
        }
    }

    /** open and close (PosixMemory maps files through them too). */
    static final class Libc {
        static final CFunction OPEN = CFunction.libc("open", CFunction.Kind.ERRNO);
        static final CFunction CLOSE = CFunction.libc("close", CFunction.Kind.PLAIN);
    }
}
