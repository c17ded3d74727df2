package dev.kiln.linker;

/**
 * An {@link ExecutableMemory} of fixed size has no room left for more code: everything placed in it
 * is still in use (freed code makes room again).
 */
public final class CodeSpaceExhaustedException extends RuntimeException {
    public CodeSpaceExhaustedException(String message) {
        super(message);
    }
}
