package dev.kiln.frontend;

/** A table type: the reference type of its elements and its limits. */
public record TableType(ValType elementType, Limits limits) {
    @Override
    public String toString() {
        return limits + " " + elementType;
    }
}
