package dev.kiln.runtime;

/** Instantiation failed while resolving imports: an import is missing or has an incompatible type. */
public final class LinkException extends RuntimeException {
    public LinkException(String message) {
        super(message);
    }
}
