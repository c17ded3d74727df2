package dev.kiln.runtime;

import dev.kiln.frontend.ValType;

import java.util.Objects;

/**
 * A WebAssembly value type, and the Java type that carries its values in kiln's typed API
 * ({@code T}): {@link #I32} is carried as {@link Integer}, {@link #I64} as {@link Long},
 * {@link #F32} as {@link Float}, {@link #F64} as {@link Double}, {@link #V128} as {@link V128},
 * {@link #FUNCREF} as {@link FunctionInstance} (null for the null reference) and
 * {@link #EXTERNREF} as any host {@link Object} (null for null). Other reference types of
 * WebAssembly 3.0 are carried as {@link Object}.
 *
 * <p>The constants serve both as types ({@link FunctionType#of}) and as the type tokens of typed
 * host functions ({@link HostFunction#of(String, String, ValueType, ValueType, HostFunction.Fn1)}).
 * Compare with {@link #equals}.
 *
 * @param <T> the Java type of values of this type
 */
public final class ValueType<T> {
    public static final ValueType<Integer> I32 = new ValueType<>(ValType.I32, Integer.class);
    public static final ValueType<Long> I64 = new ValueType<>(ValType.I64, Long.class);
    public static final ValueType<Float> F32 = new ValueType<>(ValType.F32, Float.class);
    public static final ValueType<Double> F64 = new ValueType<>(ValType.F64, Double.class);
    public static final ValueType<V128> V128 = new ValueType<>(ValType.V128, V128.class);
    public static final ValueType<FunctionInstance> FUNCREF = new ValueType<>(ValType.FUNCREF, FunctionInstance.class);
    public static final ValueType<Object> EXTERNREF = new ValueType<>(ValType.EXTERNREF, Object.class);

    private final ValType type;
    private final Class<T> javaType;

    private ValueType(ValType type, Class<T> javaType) {
        this.type = type;
        this.javaType = javaType;
    }

    /** The API type of a module's value type. */
    static ValueType<?> of(ValType t) {
        if (t.equals(ValType.I32)) return I32;
        if (t.equals(ValType.I64)) return I64;
        if (t.equals(ValType.F32)) return F32;
        if (t.equals(ValType.F64)) return F64;
        if (t.equals(ValType.V128)) return V128;
        if (t.equals(ValType.FUNCREF)) return FUNCREF;
        if (t.equals(ValType.EXTERNREF)) return EXTERNREF;
        return new ValueType<>(t, Object.class);
    }

    /** The module's value type this stands for. */
    ValType valType() {
        return type;
    }

    /** The Java class carrying values of this type. */
    public Class<T> javaType() {
        return javaType;
    }

    /** True for i32, i64, f32 and f64. */
    public boolean isNumber() {
        return this.equals(I32) || this.equals(I64) || this.equals(F32) || this.equals(F64);
    }

    /** True for reference types (funcref, externref, and 3.0's typed references). */
    public boolean isReference() {
        return !isNumber() && !this.equals(V128);
    }

    /** How many {@code long} slots a value takes in a raw value array: 2 for v128, else 1. */
    public int rawSlots() {
        return this.equals(V128) ? 2 : 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueType<?> v && v.type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(type);
    }

    /** The type as the text format writes it: {@code i32}, {@code funcref}, {@code (ref null 3)}... */
    @Override
    public String toString() {
        return type.toString();
    }
}
