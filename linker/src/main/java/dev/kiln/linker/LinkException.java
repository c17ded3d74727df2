package dev.kiln.linker;

/**
 * Code could not be placed: a relocation names a symbol the resolver does not know, has a type the
 * target's {@link dev.kiln.ir.code.RelocationModel} does not support, or its value does not fit its
 * field (e.g. a call farther away than the instruction can reach). No memory was made executable.
 */
public final class LinkException extends RuntimeException {
    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
