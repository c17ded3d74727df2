package dev.kiln.frontend;

/**
 * The implementation limits kiln enforces while decoding. They follow the WebAssembly JavaScript
 * API specification ("Implementation-defined limits"), which every browser engine applies, so a
 * module kiln accepts is one the web accepts too.
 */
public final class ImplementationLimits {
    public static final long MAX_MODULE_SIZE = 1L << 30;
    public static final int MAX_TYPES = 1_000_000;
    public static final int MAX_FUNCTIONS = 1_000_000;
    public static final int MAX_IMPORTS = 100_000;
    public static final int MAX_EXPORTS = 100_000;
    public static final int MAX_GLOBALS = 1_000_000;
    public static final int MAX_DATA_SEGMENTS = 100_000;
    public static final int MAX_TABLES = 100_000;
    public static final int MAX_MEMORIES = 100_000;
    public static final int MAX_TAGS = 1_000_000;
    /** Operands of one array.new_fixed (wasmtime and V8 allow 10 000). */
    public static final int MAX_ARRAY_NEW_FIXED = 10_000;
    public static final long MAX_TABLE_SIZE = 10_000_000;
    public static final int MAX_ELEMENT_SEGMENTS = 10_000_000;
    public static final int MAX_FUNCTION_BODY_SIZE = 7_654_321;
    public static final int MAX_LOCALS = 50_000;
    public static final int MAX_PARAMS = 1_000;
    public static final int MAX_RESULTS = 1_000;
    public static final int MAX_STRUCT_FIELDS = 10_000;
    /** Longest chain of declared supertypes. */
    public static final int MAX_SUBTYPING_DEPTH = 63;

    private ImplementationLimits() {
    }

    /** Throws when {@code count} exceeds {@code limit}. */
    static void check(long count, long limit, String what, long offset) {
        if (count > limit) {
            throw new ImplementationLimitException(
                    "too many " + what + ": " + count + " exceeds the implementation limit of " + limit, offset);
        }
    }
}
