package dev.kiln.runtime;

/**
 * A global type: its value type and whether it is mutable.
 *
 * @param valueType the type of its value
 * @param mutable   whether {@code global.set} (and {@link GlobalInstance#set}) may change it
 */
public record GlobalType(ValueType<?> valueType, boolean mutable) implements ExternType {
    static GlobalType of(dev.kiln.frontend.GlobalType t) {
        return new GlobalType(ValueType.of(t.type()), t.mutable());
    }

    dev.kiln.frontend.GlobalType globalType() {
        return new dev.kiln.frontend.GlobalType(valueType.valType(), mutable);
    }

    @Override
    public String toString() {
        return mutable ? "(mut " + valueType + ")" : valueType.toString();
    }
}
