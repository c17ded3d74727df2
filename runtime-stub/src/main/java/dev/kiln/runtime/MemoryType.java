package dev.kiln.runtime;

import dev.kiln.frontend.Limits;

import java.util.OptionalLong;

/**
 * A memory type: its size limits in 64 KiB pages, and whether it is a 64-bit memory (memory64:
 * addresses, sizes and page counts are i64). A 32-bit memory has at most 65 536 pages (4 GiB), a
 * 64-bit one at most 2<sup>48</sup>. Shared memories (the threads proposal) are not supported by kiln.
 *
 * @param minPages the initial (and minimum) size
 * @param maxPages the maximum size, if the type has one
 * @param is64     whether the memory is addressed with i64 ({@code (memory i64 ...)})
 */
public record MemoryType(long minPages, OptionalLong maxPages, boolean is64) implements ExternType {
    /** Bytes in a page. */
    public static final long PAGE_SIZE = dev.kiln.frontend.MemoryType.PAGE_SIZE;

    public MemoryType {
        long limit = is64 ? dev.kiln.frontend.MemoryType.MAX_PAGES_64 : dev.kiln.frontend.MemoryType.MAX_PAGES;
        String kind = is64 ? "a 64-bit memory" : "a 32-bit memory";
        if (minPages < 0 || minPages > limit) {
            throw new IllegalArgumentException(kind + " cannot have " + minPages + " pages (at most " + limit + ")");
        }
        if (maxPages.isPresent() && (maxPages.getAsLong() < minPages || maxPages.getAsLong() > limit)) {
            throw new IllegalArgumentException(maxPages.getAsLong() < minPages
                    ? "maximum " + maxPages.getAsLong() + " pages is below the minimum " + minPages
                    : kind + " cannot have a maximum of " + maxPages.getAsLong() + " pages (at most " + limit + ")");
        }
    }

    /** A 32-bit memory. */
    public MemoryType(long minPages, OptionalLong maxPages) {
        this(minPages, maxPages, false);
    }

    /** A 32-bit memory of {@code minPages} and at most {@code maxPages}. */
    public static MemoryType of(long minPages, long maxPages) {
        return new MemoryType(minPages, OptionalLong.of(maxPages));
    }

    /** A 32-bit memory of {@code minPages}, no maximum. */
    public static MemoryType of(long minPages) {
        return new MemoryType(minPages, OptionalLong.empty());
    }

    /** A 64-bit memory (memory64) of {@code minPages} and at most {@code maxPages}. */
    public static MemoryType of64(long minPages, long maxPages) {
        return new MemoryType(minPages, OptionalLong.of(maxPages), true);
    }

    /** A 64-bit memory (memory64) of {@code minPages}, no maximum. */
    public static MemoryType of64(long minPages) {
        return new MemoryType(minPages, OptionalLong.empty(), true);
    }

    static MemoryType of(dev.kiln.frontend.MemoryType t) {
        Limits l = t.limits();
        return new MemoryType(l.min(), l.hasMax() ? OptionalLong.of(l.max()) : OptionalLong.empty(), t.is64());
    }

    dev.kiln.frontend.MemoryType memoryType() {
        return new dev.kiln.frontend.MemoryType(new Limits(minPages, maxPages.orElse(0), maxPages.isPresent()), is64);
    }

    /** The text format's type: {@code (memory i64 1 2)}. */
    @Override
    public String toString() {
        return "(memory " + (is64 ? "i64 " : "") + minPages + (maxPages.isPresent() ? " " + maxPages.getAsLong() : "") + ")";
    }
}
