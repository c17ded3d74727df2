package dev.kiln.frontend;

/** A memory type: limits in 64 KiB pages, and whether addresses are i64 (memory64). */
public record MemoryType(Limits limits, boolean is64) {
    public static final long PAGE_SIZE = 65536;
    /** The most pages a 32-bit memory may declare (4 GiB). */
    public static final long MAX_PAGES = 65536;
    /** The most pages a 64-bit memory may declare (2^64 bytes). */
    public static final long MAX_PAGES_64 = 1L << 48;

    public MemoryType(Limits limits) {
        this(limits, false);
    }

    /** The type of addresses, sizes and page counts: i64 for a 64-bit memory, else i32. */
    public ValType addressType() {
        return is64 ? ValType.I64 : ValType.I32;
    }

    @Override
    public String toString() {
        return (is64 ? "i64 " : "") + limits;
    }
}
