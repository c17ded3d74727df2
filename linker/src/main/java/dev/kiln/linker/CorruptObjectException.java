package dev.kiln.linker;

/**
 * An object file that is not a well-formed kiln object: truncated, bit-flipped, written by
 * something else, or inconsistent with itself. The message says what was wrong and, when it is
 * known, the file offset where it was found ({@link #fileOffset()}).
 */
public final class CorruptObjectException extends Exception {
    private final long fileOffset;

    /** A problem at a known file offset. */
    public CorruptObjectException(String problem, long fileOffset) {
        super(problem + " at file offset 0x" + Long.toHexString(fileOffset));
        this.fileOffset = fileOffset;
    }

    /** A problem with the object as a whole (no single offset). */
    public CorruptObjectException(String problem) {
        super(problem);
        this.fileOffset = -1;
    }

    /** The file offset of the problem, or -1 when it concerns the object as a whole. */
    public long fileOffset() {
        return fileOffset;
    }
}
