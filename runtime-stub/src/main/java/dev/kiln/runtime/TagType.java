package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.List;

/**
 * An exception tag's type: the types of its payload ({@code (tag (param i32 i64))}).
 *
 * @param params the payload's value types, in order
 */
public record TagType(List<ValueType<?>> params) implements ExternType {
    public TagType {
        params = List.copyOf(params);
    }

    /** A tag type with payload {@code params}. */
    public static TagType of(ValueType<?>... params) {
        return new TagType(List.of(params));
    }

    static TagType of(FuncType t) {
        return new TagType(FunctionType.of(t).params());
    }

    /** The function type the module's tag section names (the payload as parameters, no results). */
    FuncType funcType() {
        ValType[] p = new ValType[params.size()];
        for (int i = 0; i < p.length; i++) p[i] = params.get(i).valType();
        return new FuncType(p, new ValType[0]);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(tag");
        if (!params.isEmpty()) {
            sb.append(" (param");
            for (ValueType<?> t : params) sb.append(' ').append(t);
            sb.append(')');
        }
        return sb.append(')').toString();
    }
}
