package dev.kiln.runtime;

/**
 * Why WebAssembly code trapped ({@link WasmTrap#kind()}). The names are those of the compiler's
 * trap kinds, which define the codes and the messages ({@link WasmTrap#getMessage()});
 * {@code TrapKindTest} keeps the two lists equal.
 */
public enum TrapKind {
    UNREACHABLE,
    INTEGER_OVERFLOW,
    INTEGER_DIVIDE_BY_ZERO,
    INVALID_CONVERSION,
    /** A load, store or bulk memory operation outside the memory, from Wasm or through {@link Memory}. */
    OUT_OF_BOUNDS_MEMORY,
    OUT_OF_BOUNDS_TABLE,
    /** call_indirect with an index past the table's end. */
    UNDEFINED_ELEMENT,
    UNINITIALIZED_ELEMENT,
    INDIRECT_CALL_TYPE_MISMATCH,
    CALL_STACK_EXHAUSTED,
    /** The store's fuel ran out ({@link Store#fuel(long)}). */
    OUT_OF_FUEL,
    /** {@link Store#interrupt()} stopped the code. */
    INTERRUPTED,
    /** A host function failed; the trap's cause is the Java exception it threw. */
    HOST_ERROR,
    /** {@code ref.as_non_null} of null. */
    NULL_REFERENCE,
    /** {@code call_ref} or {@code return_call_ref} of null. */
    NULL_FUNCTION_REFERENCE,
    /** {@code throw_ref} of null. */
    NULL_EXCEPTION_REFERENCE,
    /** {@code struct.get} or {@code struct.set} of null. */
    NULL_STRUCTURE_REFERENCE,
    /** An array instruction on null. */
    NULL_ARRAY_REFERENCE,
    /** {@code i31.get_s} or {@code i31.get_u} of null. */
    NULL_I31_REFERENCE,
    /** {@code ref.cast} to a type the value does not have. */
    CAST_FAILURE,
    /** An array index or range past the array's length. */
    OUT_OF_BOUNDS_ARRAY,
    /** The GC heap cannot hold an allocation even after a collection ({@link Store#maxGcHeapBytes}). */
    OUT_OF_GC_MEMORY,
    /** An array longer than one object may be. */
    ALLOCATION_TOO_LARGE,
    /** A trap kind this version of the API does not name yet. */
    OTHER;

    static TrapKind of(dev.kiln.ir.TrapKind k) {
        try {
            return valueOf(k.name());
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
