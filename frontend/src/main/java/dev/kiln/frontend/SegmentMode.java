package dev.kiln.frontend;

/** How an element or data segment is used: copied at instantiation, on demand, or only declared. */
public enum SegmentMode {
    ACTIVE,
    PASSIVE,
    /** Element segments only: declares functions referable by {@code ref.func}. */
    DECLARATIVE
}
