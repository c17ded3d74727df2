package dev.kiln.ir.abi;

/**
 * Operations native code leaves to the runtime. Each is called through the VMContext's helper
 * table with one signature, {@code long helper(long vmctx, long a, long b, long c, long d, long id)}
 * where {@code id} is the helper's ordinal (the table entries may all be one entry point) and
 * unused arguments are ignored; {@code arity} is how many of a..d it reads. Helpers never throw:
 * those that can trap set the execution state's TRAP_CODE and return, and the caller checks it
 * ({@code mayTrap}).
 */
public enum RuntimeHelper {
    /** a = delta pages; returns the old size in pages or -1. */
    MEMORY_GROW(1, false),
    /** a = dst, b = value, c = n. */
    MEMORY_FILL(3, true),
    /** a = dst, b = src, c = n. */
    MEMORY_COPY(3, true),
    /** a = segment, b = dst, c = src, d = n. */
    MEMORY_INIT(4, true),
    /** a = segment. */
    DATA_DROP(1, false),
    /** a = table, b = init value, c = delta; returns the old size or -1. */
    TABLE_GROW(3, false),
    /** a = table, b = index, c = value, d = n. */
    TABLE_FILL(4, true),
    /** a = (dst table << 32 | src table), b = dst, c = src, d = n. */
    TABLE_COPY(4, true),
    /** a = (segment << 32 | table), b = dst, c = src, d = n. */
    TABLE_INIT(4, true),
    /** a = segment. */
    ELEM_DROP(1, false);

    public static final int COUNT = values().length;

    public final int arity;
    public final boolean mayTrap;

    RuntimeHelper(int arity, boolean mayTrap) {
        this.arity = arity;
        this.mayTrap = mayTrap;
    }
}
