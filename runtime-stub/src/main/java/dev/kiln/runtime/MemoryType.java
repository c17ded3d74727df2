package dev.kiln.runtime;

import dev.kiln.frontend.Limits;

import java.util.OptionalLong;

/**
 * A memory type: its size limits in 64 KiB pages.
 *
 * @param minPages the initial (and minimum) size
 * @param maxPages the maximum size, if the type has one
 */
public record MemoryType(long minPages, OptionalLong maxPages) implements ExternType {
    /** Bytes in a page. */
    public static final long PAGE_SIZE = dev.kiln.frontend.MemoryType.PAGE_SIZE;

    public MemoryType {
        if (minPages < 0) throw new IllegalArgumentException("a memory cannot have " + minPages + " pages");
        if (maxPages.isPresent() && maxPages.getAsLong() < minPages) {
            throw new IllegalArgumentException("maximum " + maxPages.getAsLong() + " pages is below the minimum " + minPages);
        }
    }

    /** {@code minPages} and at most {@code maxPages}. */
    public static MemoryType of(long minPages, long maxPages) {
        return new MemoryType(minPages, OptionalLong.of(maxPages));
    }

    /** {@code minPages}, no maximum. */
    public static MemoryType of(long minPages) {
        return new MemoryType(minPages, OptionalLong.empty());
    }

    static MemoryType of(dev.kiln.frontend.MemoryType t) {
        Limits l = t.limits();
        return new MemoryType(l.min(), l.hasMax() ? OptionalLong.of(l.max()) : OptionalLong.empty());
    }

    dev.kiln.frontend.MemoryType memoryType() {
        return new dev.kiln.frontend.MemoryType(new Limits(minPages, maxPages.orElse(Limits.NO_MAX)));
    }

    @Override
    public String toString() {
        return "(memory " + minPages + (maxPages.isPresent() ? " " + maxPages.getAsLong() : "") + ")";
    }
}
