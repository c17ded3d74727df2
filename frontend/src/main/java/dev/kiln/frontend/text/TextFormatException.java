package dev.kiln.frontend.text;

/**
 * WebAssembly text that is not well formed: a lexical or syntax error, an unknown or duplicate
 * identifier, a number out of range. The message is {@code file:line:column: reason}, where the
 * column counts characters from 1.
 */
public final class TextFormatException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    public TextFormatException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason, null, false, false);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** 1-based line. */
    public int line() {
        return line;
    }

    /** 1-based column, in characters. */
    public int column() {
        return column;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
