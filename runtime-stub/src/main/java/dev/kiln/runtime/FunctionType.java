package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.ArrayList;
import java.util.List;

/** A function type: its parameter and result types. Compare with {@link #equals}. */
public final class FunctionType implements ExternType {
    private final FuncType type;
    private final List<ValueType<?>> params;
    private final List<ValueType<?>> results;

    private FunctionType(FuncType type) {
        this.type = type;
        this.params = list(type.params());
        this.results = list(type.results());
    }

    /** The type with {@code params} and {@code results}. */
    public static FunctionType of(List<? extends ValueType<?>> params, List<? extends ValueType<?>> results) {
        return new FunctionType(new FuncType(valTypes(params), valTypes(results)));
    }

    /** A type with one result or none ({@code result} null), e.g. {@code FunctionType.returning(I32, I32, I32)}. */
    public static FunctionType returning(ValueType<?> result, ValueType<?>... params) {
        return of(List.of(params), result == null ? List.of() : List.of(result));
    }

    static FunctionType of(FuncType t) {
        return new FunctionType(t);
    }

    FuncType funcType() {
        return type;
    }

    public List<ValueType<?>> params() {
        return params;
    }

    public List<ValueType<?>> results() {
        return results;
    }

    private static List<ValueType<?>> list(ValType[] types) {
        List<ValueType<?>> out = new ArrayList<>(types.length);
        for (ValType t : types) out.add(ValueType.of(t));
        return List.copyOf(out);
    }

    private static ValType[] valTypes(List<? extends ValueType<?>> types) {
        ValType[] out = new ValType[types.size()];
        for (int i = 0; i < out.length; i++) out[i] = types.get(i).valType();
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionType f && f.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    /** The type as the text format writes it: {@code (func (param i32 i32) (result i32))}. */
    @Override
    public String toString() {
        return type.toString();
    }
}
