package dev.kiln.runtime.wasi;

/**
 * Ends a WASI call with a nonzero {@link Errno} returned to the guest (not a trap). Internal control
 * flow of this package: it carries no stack trace, so throwing it is cheap.
 */
final class ErrnoException extends RuntimeException {
    final Errno errno;

    ErrnoException(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }
}
