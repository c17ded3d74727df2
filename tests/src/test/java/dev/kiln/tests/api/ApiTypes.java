package dev.kiln.tests.api;

import dev.kiln.frontend.ValType;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;

import java.util.Arrays;

/** The compiler's value types and the API's, for tests written against the compiler's. */
public final class ApiTypes {
    private ApiTypes() {
    }

    public static ValueType<?> valueType(ValType t) {
        return switch (t) {
            case I32 -> ValueType.I32;
            case I64 -> ValueType.I64;
            case F32 -> ValueType.F32;
            case F64 -> ValueType.F64;
            case V128 -> ValueType.V128;
            case FUNCREF -> ValueType.FUNCREF;
            case EXTERNREF -> ValueType.EXTERNREF;
        };
    }

    public static ValType valType(ValueType<?> t) {
        for (ValType v : ValType.values()) if (valueType(v).equals(t)) return v;
        throw new IllegalArgumentException("no compiler value type for " + t);
    }

    public static FunctionType functionType(ValType[] params, ValType... results) {
        return FunctionType.of(Arrays.stream(params).<ValueType<?>>map(ApiTypes::valueType).toList(),
                Arrays.stream(results).<ValueType<?>>map(ApiTypes::valueType).toList());
    }
}
