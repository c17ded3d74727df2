package dev.kiln.tests.api;

import dev.kiln.frontend.ValType;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;

import java.util.Arrays;
import java.util.List;

/** The compiler's value types and the API's, for tests written against the compiler's. */
public final class ApiTypes {
    private static final List<ValType> COMPILER = List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128,
            ValType.FUNCREF, ValType.EXTERNREF);
    private static final List<ValueType<?>> API = List.of(ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64,
            ValueType.V128, ValueType.FUNCREF, ValueType.EXTERNREF);

    private ApiTypes() {
    }

    public static ValueType<?> valueType(ValType t) {
        int i = COMPILER.indexOf(t);
        if (i < 0) throw new IllegalArgumentException("no API value type for " + t);
        return API.get(i);
    }

    public static ValType valType(ValueType<?> t) {
        int i = API.indexOf(t);
        if (i < 0) throw new IllegalArgumentException("no compiler value type for " + t);
        return COMPILER.get(i);
    }

    public static FunctionType functionType(ValType[] params, ValType... results) {
        return FunctionType.of(Arrays.stream(params).<ValueType<?>>map(ApiTypes::valueType).toList(),
                Arrays.stream(results).<ValueType<?>>map(ApiTypes::valueType).toList());
    }
}
