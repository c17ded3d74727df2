package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of a text module or script (UTF-8) with the name errors report, and the mapping from
 * byte offsets to line and column (a table of line starts, made when first needed).
 */
public final class SourceText {
    private final String name;
    private final byte[] bytes;
    private int[] lineStarts;

    public SourceText(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    public String name() {
        return name;
    }

    public byte[] bytes() {
        return bytes;
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int n = 1;
            for (byte b : bytes) if (b == '\n') n++;
            int[] starts = new int[n];
            int k = 1;
            for (int i = 0; i < bytes.length; i++) if (bytes[i] == '\n') starts[k++] = i + 1;
            lineStarts = starts;
        }
        return lineStarts;
    }

    /** The 1-based line of a byte offset. */
    public int line(int offset) {
        int[] starts = lineStarts();
        int i = Arrays.binarySearch(starts, Math.min(Math.max(offset, 0), bytes.length));
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** An error at byte offset {@code offset}. */
    public TextFormatException error(int offset, String reason) {
        int end = Math.min(Math.max(offset, 0), bytes.length);
        int line = line(end);
        int column = 1;
        for (int i = lineStarts()[line - 1]; i < end; i++) {
            if ((bytes[i] & 0xC0) != 0x80) column++; // count characters, not UTF-8 continuation bytes
        }
        return new TextFormatException(name, line, column, reason);
    }

    /** The text of bytes {@code [start, end)} (for messages and keywords; ASCII outside strings). */
    public String text(int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
}
