package dev.kiln.runtime.internal;

import dev.kiln.frontend.CodelessImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a module file without its function bodies (a {@link CodelessImage}): the section headers are
 * walked with small positioned reads, then everything but the code section's bodies is read in chunks
 * of at most {@link FileBytes#CHUNK}. For Yosys's 30.8 MB module that is 3 MB (its data segments and
 * the sections before the code) instead of 30.8 MB. Only for a file a code-cache entry vouches for:
 * the headers are not checked beyond what finding the code section needs.
 */
public final class CodelessImageReader {
    private static final int CODE_SECTION = 10;

    private CodelessImageReader() {
    }

    /**
     * The file's codeless image, or null when it is not a binary module with a code section whose
     * headers are where they say (then the caller reads it whole and decodes it as usual).
     */
    public static CodelessImage read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8 || size > Integer.MAX_VALUE - 8) return null;
            byte[] header = new byte[8];
            if (!readFully(ch, 0, header, 0, 8)) return null;
            if (header[0] != 0 || header[1] != 'a' || header[2] != 's' || header[3] != 'm') return null;
            long pos = 8;
            byte[] head = new byte[11]; // an id, a size of at most 5 bytes, a count of at most 5 bytes
            while (pos < size) {
                int n = (int) Math.min(head.length, size - pos);
                if (!readFully(ch, pos, head, 0, n)) return null;
                int id = head[0] & 0xFF;
                long[] sizeField = leb(head, 1, n);
                if (sizeField == null) return null;
                long contentStart = pos + sizeField[1];
                long end = contentStart + sizeField[0];
                if (end > size) return null;
                if (id == CODE_SECTION) {
                    long[] count = leb(head, (int) sizeField[1], n);
                    if (count == null) return null;
                    long holeStart = pos + count[1];
                    if (holeStart > end) return null;
                    return image(ch, (int) size, (int) holeStart, (int) (end - holeStart));
                }
                pos = end;
            }
            return null;
        }
    }

    private static CodelessImage image(FileChannel ch, int size, int holeStart, int holeLength) throws IOException {
        byte[] bytes = new byte[size - holeLength];
        if (!readFully(ch, 0, bytes, 0, holeStart)) return null;
        if (!readFully(ch, holeStart + (long) holeLength, bytes, holeStart, bytes.length - holeStart)) return null;
        return new CodelessImage(bytes, holeStart, holeLength);
    }

    /** An unsigned LEB128 of at most 5 bytes at {@code at}: its value and the offset just after it, or null. */
    private static long[] leb(byte[] b, int at, int limit) {
        long value = 0;
        for (int i = 0; i < 5 && at + i < limit; i++) {
            int x = b[at + i] & 0xFF;
            value |= (long) (x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) return new long[] {value, at + i + 1};
        }
        return null;
    }

    /** Reads {@code length} bytes at {@code position} in chunks; false when the file ends first. */
    private static boolean readFully(FileChannel ch, long position, byte[] dst, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            ByteBuffer buf = ByteBuffer.wrap(dst, offset + done, Math.min(FileBytes.CHUNK, length - done));
            int r = ch.read(buf, position + done);
            if (r < 0) return false;
            done += r;
        }
        return true;
    }
}
