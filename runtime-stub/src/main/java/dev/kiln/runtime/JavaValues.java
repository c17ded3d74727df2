package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

/**
 * Wasm values as Java objects (the typed API) and in the raw encoding (one {@code long} each, two
 * for a v128, low half first): Integer for i32, Long for i64, Float for f32, Double for f64,
 * {@link V128}, {@link FunctionInstance} for function references, any object for external
 * references, null for a null reference.
 */
final class JavaValues {
    private JavaValues() {
    }

    /** The Java class a value of {@code t} must have. */
    static Class<?> javaType(ValType t) {
        return ValueType.of(t).javaType();
    }

    /** Checks that {@code value} is a {@code t}; {@code what} names it in the message. */
    static Object check(ValType t, Object value, String what) {
        if (value == null) {
            if (t.isReference()) return null;
            throw new IllegalArgumentException(what + " must be a " + t + " (" + javaType(t).getSimpleName() + "), not null");
        }
        if (!javaType(t).isInstance(value)) {
            throw new IllegalArgumentException(what + " must be a " + t + " (" + javaType(t).getSimpleName() + "), not a "
                    + value.getClass().getSimpleName() + " (" + value + ")");
        }
        return value;
    }

    /** The raw encoding of a scalar or reference value (not v128). */
    static long toRaw(ValType t, Object value, Store store, String what) {
        check(t, value, what);
        if (t == ValType.I32) return Integer.toUnsignedLong((Integer) value);
        if (t == ValType.I64) return (Long) value;
        if (t == ValType.F32) return Integer.toUnsignedLong(Float.floatToRawIntBits((Float) value));
        if (t == ValType.F64) return Double.doubleToRawLongBits((Double) value);
        return store.referenceRaw(t, value);
    }

    /** The Java value of a raw scalar or reference (not v128). */
    static Object fromRaw(ValType t, long raw, Store store) {
        if (t == ValType.I32) return (int) raw;
        if (t == ValType.I64) return raw;
        if (t == ValType.F32) return Float.intBitsToFloat((int) raw);
        if (t == ValType.F64) return Double.longBitsToDouble(raw);
        return store.referenceValue(t, raw);
    }

    /** The raw argument array for {@code values} of {@code types} (v128 takes two slots). */
    static long[] toRaw(ValType[] types, Object[] values, Store store, String function) {
        if (values.length != types.length) {
            throw new IllegalArgumentException(function + " takes " + types.length + " argument(s), got " + values.length);
        }
        int slots = 0;
        for (ValType t : types) slots += t == ValType.V128 ? 2 : 1;
        long[] raw = new long[slots];
        int k = 0;
        for (int i = 0; i < types.length; i++) {
            String what = "argument " + (i + 1) + " of " + function;
            if (types[i] == ValType.V128) {
                V128 v = (V128) check(types[i], values[i], what);
                raw[k++] = v.low();
                raw[k++] = v.high();
            } else {
                raw[k++] = toRaw(types[i], values[i], store, what);
            }
        }
        return raw;
    }

    /** The Java values of raw {@code results} of {@code types}. */
    static Object[] fromRaw(ValType[] types, long[] raw, Store store) {
        Object[] out = new Object[types.length];
        int k = 0;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == ValType.V128) {
                out[i] = new V128(raw[k], raw[k + 1]);
                k += 2;
            } else {
                out[i] = fromRaw(types[i], raw[k++], store);
            }
        }
        return out;
    }

    /** "name (func ...)" for messages. */
    static String describe(String name, FuncType type) {
        return name + " " + type;
    }
}
