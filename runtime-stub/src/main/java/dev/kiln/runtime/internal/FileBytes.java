package dev.kiln.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a whole file into an array in chunks. {@code Files.readAllBytes} reads it in one call,
 * and the JDK copies a read into a heap array through a temporary native buffer as large as the
 * read: for Yosys's 30.8 MB module that was 30 MB more peak RSS than the array itself. Here the
 * temporary buffer is at most one chunk.
 */
public final class FileBytes {
    /** Bytes per read: the largest temporary native buffer a read makes. */
    static final int CHUNK = 1 << 20;

    private FileBytes() {
    }

    /**
     * The file's bytes as they are when read (a file that grows or shrinks meanwhile is read to its end).
     * Throws {@link OutOfMemoryError} when it cannot fit in an array, as {@code Files.readAllBytes} does.
     */
    public static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw new OutOfMemoryError(file + " is too large for an array: " + size + " bytes");
            byte[] b = new byte[(int) Math.max(size, 1)];
            int n = 0;
            while (true) {
                if (n == b.length) {
                    int next = in.read();
                    if (next < 0) break;
                    if (b.length >= Integer.MAX_VALUE - 8) throw new OutOfMemoryError(file + " grew too large for an array");
                    b = Arrays.copyOf(b, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * b.length));
                    b[n++] = (byte) next;
                }
                int r = in.read(b, n, Math.min(CHUNK, b.length - n));
                if (r < 0) break;
                n += r;
            }
            return n == b.length ? b : Arrays.copyOf(b, n);
        }
    }
}
