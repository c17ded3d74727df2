package dev.kiln.ir.code;

/**
 * One entry of the guard-page handler's tables ({@link Backend#signalHandler}): a page-aligned range
 * of addresses packed into one 64-bit word, {@code start >>> 12} in the high 36 bits and the length
 * in 4 KiB pages in the low 28. The handler reads an entry with one single-copy-atomic load, so an
 * entry cleared (0, an empty range) or reused for another range while a signal is being handled is
 * seen whole, old or new, never half of each. Ranges start below 2<sup>48</sup> and are shorter
 * than 2<sup>40</sup> bytes.
 */
public final class CodeRangeWord {
    /** Ranges are in 4 KiB pages. */
    public static final int PAGE_SHIFT = 12;
    /** Bits of the length (in pages): the low bits of the word. */
    public static final int LENGTH_BITS = 28;
    public static final long LENGTH_MASK = (1L << LENGTH_BITS) - 1;
    /** The word of no range: nothing lies in it. */
    public static final long EMPTY = 0;

    private CodeRangeWord() {
    }

    /** The word of {@code [start, end)}. */
    public static long of(long start, long end) {
        long page = (1L << PAGE_SHIFT) - 1;
        if ((start & page) != 0 || (end & page) != 0 || end <= start) {
            throw new IllegalArgumentException("[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ") is not a page-aligned range");
        }
        long pages = (end - start) >>> PAGE_SHIFT;
        if (start >>> PAGE_SHIFT >>> (64 - LENGTH_BITS) != 0 || pages > LENGTH_MASK) {
            throw new IllegalArgumentException("[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ") is out of the table's reach");
        }
        return (start >>> PAGE_SHIFT) << LENGTH_BITS | pages;
    }

    public static long start(long word) {
        return (word >>> LENGTH_BITS) << PAGE_SHIFT;
    }

    public static long length(long word) {
        return (word & LENGTH_MASK) << PAGE_SHIFT;
    }

    /** What the handler computes: {@code address - start <u length}. */
    public static boolean contains(long word, long address) {
        return Long.compareUnsigned(address - start(word), length(word)) < 0;
    }
}
