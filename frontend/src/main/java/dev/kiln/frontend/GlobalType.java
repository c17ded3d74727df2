package dev.kiln.frontend;

/** A global type: value type and mutability. */
public record GlobalType(ValType type, boolean mutable) {
    @Override
    public String toString() {
        return mutable ? "(mut " + type + ")" : type.toString();
    }
}
