package dev.kiln.runtime;

/**
 * A module could not be loaded: it does not decode (<em>malformed</em>), breaks a validation rule
 * (<em>invalid</em>), exceeds an implementation <em>limit</em>, or is WebAssembly text that does
 * not parse (<em>text</em>). The message gives the byte offset, or the line and column.
 */
public final class WasmModuleException extends RuntimeException {
    private final String category;
    private final long offset;

    WasmModuleException(String category, String message, long offset, Throwable cause) {
        super(message, cause);
        this.category = category;
        this.offset = offset;
    }

    /** {@code "malformed"}, {@code "invalid"}, {@code "limit"} or {@code "text"}. */
    public String category() {
        return category;
    }

    /** The byte offset in the binary where the problem was found, or -1 (text errors give a line and column). */
    public long offset() {
        return offset;
    }
}
