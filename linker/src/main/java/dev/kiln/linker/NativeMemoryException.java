package dev.kiln.linker;

/**
 * A memory-management system call ({@code mmap}, {@code mprotect}, {@code munmap}, {@code madvise})
 * failed. The message names the call, its arguments and the error; {@link #errno()} is the C errno.
 */
public final class NativeMemoryException extends RuntimeException {
    private final int errno;

    public NativeMemoryException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
