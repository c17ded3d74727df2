package dev.kiln.frontend;

/**
 * A module binary with its function bodies cut out: {@code bytes} holds the file up to and including
 * the code section's function count, then everything after the code section. The cut
 * ({@code holeLength} bytes of bodies) starts at {@code holeStart}; a position in {@code bytes} at or
 * after {@code holeStart} is the file offset {@code holeLength} bytes further on. What a cache hit
 * decodes ({@link Decoder#decodeTrusted(CodelessImage, java.util.function.Supplier)}): the bodies
 * run from cached code, so they are not read at all unless a function is compiled or interpreted.
 */
public record CodelessImage(byte[] bytes, int holeStart, int holeLength) {
    public CodelessImage {
        if (holeStart < 8 || holeStart > bytes.length || holeLength < 0) {
            throw new IllegalArgumentException("hole " + holeStart + "+" + holeLength + " in " + bytes.length + " bytes");
        }
    }

    /** The length of the whole binary. */
    public long fileLength() {
        return (long) bytes.length + holeLength;
    }

    /** The file offset of a position in {@link #bytes}. */
    int fileOffset(int position) {
        return position >= holeStart ? position + holeLength : position;
    }
}
