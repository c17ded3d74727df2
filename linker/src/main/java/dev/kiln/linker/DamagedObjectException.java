package dev.kiln.linker;

import java.nio.file.Path;

/**
 * A block of a mapped cache object failed its digest when it was first used (after the object was
 * opened): the object must not be used any further. The runtime reports it, removes the entry and
 * never runs the damaged code.
 */
public final class DamagedObjectException extends RuntimeException {
    private final transient Path path;

    public DamagedObjectException(Path path, String message) {
        super(message);
        this.path = path;
    }

    /** The damaged object's file. */
    public Path path() {
        return path;
    }
}
