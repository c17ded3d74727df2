package dev.kiln.frontend;

/** A memory type: limits in 64 KiB pages. */
public record MemoryType(Limits limits) {
    public static final long PAGE_SIZE = 65536;
    public static final long MAX_PAGES = 65536;

    @Override
    public String toString() {
        return limits.toString();
    }
}
