package dev.kiln.frontend;

/**
 * Root of the frontend's errors: a module that cannot be decoded ({@link MalformedModuleException}),
 * one that decodes but does not validate ({@link InvalidModuleException}), or one that exceeds an
 * implementation limit ({@link ImplementationLimitException}). Every error carries the byte offset
 * in the module where it was found.
 */
public abstract sealed class ModuleException extends RuntimeException
        permits MalformedModuleException, InvalidModuleException, ImplementationLimitException {
    private final long offset;
    private final String reason;

    protected ModuleException(String reason, long offset) {
        super(reason + " at offset 0x" + Long.toHexString(offset));
        this.reason = reason;
        this.offset = offset;
    }

    /** Byte offset in the module binary at which the problem was detected. */
    public long offset() {
        return offset;
    }

    /** The message without the offset. */
    public String reason() {
        return reason;
    }

    /** "malformed", "invalid" or "limit": the category of the error. */
    public abstract String category();
}
