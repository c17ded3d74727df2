package dev.kiln.frontend;

import java.util.Arrays;

/**
 * A function type: parameter and result types. Immutable; compare with {@link #equals} (which is
 * exact: type indices in reference types are compared as numbers, see {@link TypeHierarchy} for
 * equivalence and subtyping).
 */
public record FuncType(ValType[] params, ValType[] results) implements CompositeType {
    public static final FuncType EMPTY = new FuncType(new ValType[0], new ValType[0]);

    public FuncType {
        params = params.clone();
        results = results.clone();
    }

    public static FuncType of(ValType[] params, ValType... results) {
        return new FuncType(params, results);
    }

    public int paramCount() {
        return params.length;
    }

    public int resultCount() {
        return results.length;
    }

    public ValType param(int i) {
        return params[i];
    }

    public ValType result(int i) {
        return results[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FuncType f && Arrays.equals(params, f.params) && Arrays.equals(results, f.results);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(params) * 31 + Arrays.hashCode(results);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(func");
        if (params.length > 0) {
            sb.append(" (param");
            for (ValType t : params) sb.append(' ').append(t);
            sb.append(')');
        }
        if (results.length > 0) {
            sb.append(" (result");
            for (ValType t : results) sb.append(' ').append(t);
            sb.append(')');
        }
        return sb.append(')').toString();
    }
}
