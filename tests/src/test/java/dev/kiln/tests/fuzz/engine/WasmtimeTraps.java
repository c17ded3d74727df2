package dev.kiln.tests.fuzz.engine;

import dev.kiln.ir.TrapKind;

import java.util.Map;

/**
 * wasmtime's trap codes as kiln trap kinds. wasmtime reports an out-of-range
 * {@code call_indirect} index as a table access out of bounds; generated modules touch tables
 * only through {@code call_indirect}, so that code means kiln's "undefined element"; and a null
 * reference only in {@code throw_ref} (call_ref calls {@code ref.func} values), so wasmtime's null
 * reference is kiln's "null exception reference".
 */
final class WasmtimeTraps {
    private static final Map<String, TrapKind> KINDS = Map.ofEntries(
            Map.entry("UNREACHABLE", TrapKind.UNREACHABLE),
            Map.entry("INTEGER_OVERFLOW", TrapKind.INTEGER_OVERFLOW),
            Map.entry("INTEGER_DIVISION_BY_ZERO", TrapKind.INTEGER_DIVIDE_BY_ZERO),
            Map.entry("BAD_CONVERSION_TO_INTEGER", TrapKind.INVALID_CONVERSION),
            Map.entry("MEMORY_OUT_OF_BOUNDS", TrapKind.OUT_OF_BOUNDS_MEMORY),
            Map.entry("TABLE_OUT_OF_BOUNDS", TrapKind.UNDEFINED_ELEMENT),
            Map.entry("INDIRECT_CALL_TO_NULL", TrapKind.UNINITIALIZED_ELEMENT),
            Map.entry("BAD_SIGNATURE", TrapKind.INDIRECT_CALL_TYPE_MISMATCH),
            Map.entry("STACK_OVERFLOW", TrapKind.CALL_STACK_EXHAUSTED),
            Map.entry("OUT_OF_FUEL", TrapKind.OUT_OF_FUEL),
            Map.entry("INTERRUPT", TrapKind.INTERRUPTED),
            Map.entry("ARRAY_OUT_OF_BOUNDS", TrapKind.OUT_OF_BOUNDS_ARRAY),
            Map.entry("CAST_FAILURE", TrapKind.CAST_FAILURE),
            Map.entry("NULL_REFERENCE", TrapKind.NULL_EXCEPTION_REFERENCE));

    private WasmtimeTraps() {
    }

    /** The kind for a wasmtime trap code name, or null when kiln has none. */
    static TrapKind kind(String code) {
        return KINDS.get(code);
    }
}
