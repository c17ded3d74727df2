package dev.kiln.frontend;

/** A table type: the reference type of its elements, its limits, and whether indices are i64 (table64). */
public record TableType(ValType elementType, Limits limits, boolean is64) {
    public TableType(ValType elementType, Limits limits) {
        this(elementType, limits, false);
    }

    /** The type of indices and sizes: i64 for a 64-bit table, else i32. */
    public ValType addressType() {
        return is64 ? ValType.I64 : ValType.I32;
    }

    @Override
    public String toString() {
        return (is64 ? "i64 " : "") + limits + " " + elementType;
    }
}
