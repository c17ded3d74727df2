package dev.kiln.frontend;

/** A tag (exception handling): the index of its function type, whose parameters are the payload. */
public record TagType(int typeIndex) {
}
