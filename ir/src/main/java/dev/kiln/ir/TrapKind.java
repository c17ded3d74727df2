package dev.kiln.ir;

/**
 * Every way WebAssembly execution can trap, with the message the spec suite uses and the nonzero
 * code stored in the VMContext's trap slot by native code. Interpreter, backends and runtime all
 * name traps through this one enum.
 */
public enum TrapKind {
    UNREACHABLE(1, "unreachable"),
    INTEGER_OVERFLOW(2, "integer overflow"),
    INTEGER_DIVIDE_BY_ZERO(3, "integer divide by zero"),
    INVALID_CONVERSION(4, "invalid conversion to integer"),
    OUT_OF_BOUNDS_MEMORY(5, "out of bounds memory access"),
    OUT_OF_BOUNDS_TABLE(6, "out of bounds table access"),
    /** call_indirect with an index past the table's end. */
    UNDEFINED_ELEMENT(7, "undefined element"),
    UNINITIALIZED_ELEMENT(8, "uninitialized element"),
    INDIRECT_CALL_TYPE_MISMATCH(9, "indirect call type mismatch"),
    CALL_STACK_EXHAUSTED(10, "call stack exhausted"),
    OUT_OF_FUEL(11, "out of fuel"),
    INTERRUPTED(12, "interrupted"),
    /** A host function failed; the runtime keeps the Java exception as the trap's cause. */
    HOST_ERROR(13, "host function error"),
    /** ref.as_non_null of null. */
    NULL_REFERENCE(14, "null reference"),
    /** call_ref or return_call_ref of null. */
    NULL_FUNCTION_REFERENCE(15, "null function reference"),
    /** throw_ref of null. */
    NULL_EXCEPTION_REFERENCE(16, "null exception reference"),
    /** struct.get/struct.set of null. */
    NULL_STRUCTURE_REFERENCE(17, "null structure reference"),
    /** An array instruction on null. */
    NULL_ARRAY_REFERENCE(18, "null array reference"),
    /** i31.get of null. */
    NULL_I31_REFERENCE(19, "null i31 reference"),
    /** ref.cast to a type the value does not have. */
    CAST_FAILURE(20, "cast failure"),
    /** An array index or range past the array's length. */
    OUT_OF_BOUNDS_ARRAY(21, "out of bounds array access"),
    /** The GC heap cannot hold the allocation, even after a collection (the store's GC heap cap). */
    OUT_OF_GC_MEMORY(22, "out of GC heap memory"),
    /** An array whose size in bytes is past what one object may take. */
    ALLOCATION_TOO_LARGE(23, "allocation size too large");

    private static final TrapKind[] BY_CODE = new TrapKind[32];
    static {
        for (TrapKind k : values()) BY_CODE[k.code] = k;
    }

    public final int code;
    public final String message;

    TrapKind(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /**
     * Resource-limit traps happen at a function entry or loop back-edge, not at an instruction:
     * every tier reports them at the start of the function's code.
     */
    public boolean atFunctionStart() {
        return this == OUT_OF_FUEL || this == INTERRUPTED;
    }

    /** The kind for a VMContext trap code, or null when the code is not one. */
    public static TrapKind fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
