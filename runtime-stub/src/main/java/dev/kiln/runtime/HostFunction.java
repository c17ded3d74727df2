package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.List;
import java.util.Objects;

/**
 * A function implemented in Java that a module imports as {@code module.name}.
 *
 * <p>Typed, for up to four parameters and one result or none: the value types are given as
 * {@link ValueType} tokens, and the lambda gets the {@link Caller} and Java values (Integer for
 * i32, Long for i64, Float, Double, {@link V128}, {@link FunctionInstance}, any object for
 * externref):
 * <pre>{@code
 * import static dev.kiln.runtime.ValueType.*;
 *
 * HostFunction add = HostFunction.of("env", "add", I32, I32, I32, (caller, a, b) -> a + b);
 * HostFunction log = HostFunction.ofVoid("env", "log", I32, I32,
 *         (caller, ptr, len) -> System.out.println(caller.memory().readString(ptr, len)));
 * }</pre>
 *
 * <p>Raw, for any signature ({@link Implementation}): arguments and results in the raw encoding of
 * {@link FunctionInstance#call(long...)}: i32 in the low 32 bits, i64 as is, f32/f64 as their IEEE
 * bits, references as handles, a v128 as two consecutive longs, low half first
 * ({@link V128#of(long[], int)}).
 *
 * <p>Throwing {@link ProcessExit} ends the program; a {@link WasmTrap} traps with its kind; any other
 * exception traps with kind {@link TrapKind#HOST_ERROR} and the exception as the trap's cause.
 *
 * @param module         the import's module name
 * @param name           the import's field name
 * @param type           its type; a module importing it must declare exactly this type
 * @param implementation the code, in the raw encoding
 */
public record HostFunction(String module, String name, FunctionType type, Implementation implementation) {
    public HostFunction {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(implementation, "implementation");
    }

    /** A host function working on raw values (see {@link FunctionInstance#call(long...)} for the encoding). */
    @FunctionalInterface
    public interface Implementation {
        /**
         * Called with the arguments; returns the results (an empty array, or null, when there are
         * none). Throwing {@link ProcessExit} ends the program; any other exception becomes a trap.
         */
        long[] call(Caller caller, long[] args) throws Exception;
    }

    /**
     * A host function whose implementation takes and returns Java values (see
     * {@link FunctionInstance#apply(Object...)}); {@code type} gives the signature, and the result
     * array must match it (null or empty for none).
     */
    public static HostFunction ofValues(String module, String name, FunctionType type, ValuesImplementation implementation) {
        FuncType t = type.funcType();
        String what = module + "." + name;
        return new HostFunction(module, name, type, (caller, args) -> {
            Object[] results = implementation.call(caller, JavaValues.fromRaw(t.params(), args, caller.store()));
            if (results == null) results = new Object[0];
            if (results.length != t.resultCount()) {
                throw new IllegalStateException("host function " + what + " returned " + results.length + " results, expected " + t.resultCount());
            }
            return JavaValues.toRaw(t.results(), results, caller.store(), "the result of host function " + what);
        });
    }

    /** A host function on Java values ({@link #ofValues}). */
    @FunctionalInterface
    public interface ValuesImplementation {
        Object[] call(Caller caller, Object[] args) throws Exception;
    }

    /** A typed host function of 0 parameter(s) and one result. */
    @FunctionalInterface
    public interface Fn0<R> {
        R apply(Caller caller) throws Exception;
    }

    /** A typed host function of 0 parameter(s) and no result. */
    @FunctionalInterface
    public interface Void0 {
        void apply(Caller caller) throws Exception;
    }

    /** A typed host function of 1 parameter(s) and one result. */
    @FunctionalInterface
    public interface Fn1<A, R> {
        R apply(Caller caller, A a) throws Exception;
    }

    /** A typed host function of 1 parameter(s) and no result. */
    @FunctionalInterface
    public interface Void1<A> {
        void apply(Caller caller, A a) throws Exception;
    }

    /** A typed host function of 2 parameter(s) and one result. */
    @FunctionalInterface
    public interface Fn2<A, B, R> {
        R apply(Caller caller, A a, B b) throws Exception;
    }

    /** A typed host function of 2 parameter(s) and no result. */
    @FunctionalInterface
    public interface Void2<A, B> {
        void apply(Caller caller, A a, B b) throws Exception;
    }

    /** A typed host function of 3 parameter(s) and one result. */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> {
        R apply(Caller caller, A a, B b, C c) throws Exception;
    }

    /** A typed host function of 3 parameter(s) and no result. */
    @FunctionalInterface
    public interface Void3<A, B, C> {
        void apply(Caller caller, A a, B b, C c) throws Exception;
    }

    /** A typed host function of 4 parameter(s) and one result. */
    @FunctionalInterface
    public interface Fn4<A, B, C, D, R> {
        R apply(Caller caller, A a, B b, C c, D d) throws Exception;
    }

    /** A typed host function of 4 parameter(s) and no result. */
    @FunctionalInterface
    public interface Void4<A, B, C, D> {
        void apply(Caller caller, A a, B b, C c, D d) throws Exception;
    }

    /** A typed host function of 0 parameter(s) returning a {@code resultType}. */
    @SuppressWarnings("unchecked")
    public static <R> HostFunction of(String module, String name, ValueType<R> resultType, Fn0<R> f) {
        return typed(module, name, List.of(), resultType, (c, a) -> f.apply(c));
    }

    /** A typed host function of 0 parameter(s) without a result. */
    public static HostFunction ofVoid(String module, String name, Void0 f) {
        return typed(module, name, List.of(), null, (c, a) -> {
            f.apply(c);
            return null;
        });
    }

    /** A typed host function of 1 parameter(s) returning a {@code resultType}. */
    @SuppressWarnings("unchecked")
    public static <A, R> HostFunction of(String module, String name, ValueType<A> aType, ValueType<R> resultType, Fn1<A, R> f) {
        return typed(module, name, List.of(aType), resultType, (c, a) -> f.apply(c, (A) a[0]));
    }

    /** A typed host function of 1 parameter(s) without a result. */
    @SuppressWarnings("unchecked")
    public static <A> HostFunction ofVoid(String module, String name, ValueType<A> aType, Void1<A> f) {
        return typed(module, name, List.of(aType), null, (c, a) -> {
            f.apply(c, (A) a[0]);
            return null;
        });
    }

    /** A typed host function of 2 parameter(s) returning a {@code resultType}. */
    @SuppressWarnings("unchecked")
    public static <A, B, R> HostFunction of(String module, String name, ValueType<A> aType, ValueType<B> bType, ValueType<R> resultType, Fn2<A, B, R> f) {
        return typed(module, name, List.of(aType, bType), resultType, (c, a) -> f.apply(c, (A) a[0], (B) a[1]));
    }

    /** A typed host function of 2 parameter(s) without a result. */
    @SuppressWarnings("unchecked")
    public static <A, B> HostFunction ofVoid(String module, String name, ValueType<A> aType, ValueType<B> bType, Void2<A, B> f) {
        return typed(module, name, List.of(aType, bType), null, (c, a) -> {
            f.apply(c, (A) a[0], (B) a[1]);
            return null;
        });
    }

    /** A typed host function of 3 parameter(s) returning a {@code resultType}. */
    @SuppressWarnings("unchecked")
    public static <A, B, C, R> HostFunction of(String module, String name, ValueType<A> aType, ValueType<B> bType, ValueType<C> cType, ValueType<R> resultType, Fn3<A, B, C, R> f) {
        return typed(module, name, List.of(aType, bType, cType), resultType, (c, a) -> f.apply(c, (A) a[0], (B) a[1], (C) a[2]));
    }

    /** A typed host function of 3 parameter(s) without a result. */
    @SuppressWarnings("unchecked")
    public static <A, B, C> HostFunction ofVoid(String module, String name, ValueType<A> aType, ValueType<B> bType, ValueType<C> cType, Void3<A, B, C> f) {
        return typed(module, name, List.of(aType, bType, cType), null, (c, a) -> {
            f.apply(c, (A) a[0], (B) a[1], (C) a[2]);
            return null;
        });
    }

    /** A typed host function of 4 parameter(s) returning a {@code resultType}. */
    @SuppressWarnings("unchecked")
    public static <A, B, C, D, R> HostFunction of(String module, String name, ValueType<A> aType, ValueType<B> bType, ValueType<C> cType, ValueType<D> dType, ValueType<R> resultType, Fn4<A, B, C, D, R> f) {
        return typed(module, name, List.of(aType, bType, cType, dType), resultType, (c, a) -> f.apply(c, (A) a[0], (B) a[1], (C) a[2], (D) a[3]));
    }

    /** A typed host function of 4 parameter(s) without a result. */
    @SuppressWarnings("unchecked")
    public static <A, B, C, D> HostFunction ofVoid(String module, String name, ValueType<A> aType, ValueType<B> bType, ValueType<C> cType, ValueType<D> dType, Void4<A, B, C, D> f) {
        return typed(module, name, List.of(aType, bType, cType, dType), null, (c, a) -> {
            f.apply(c, (A) a[0], (B) a[1], (C) a[2], (D) a[3]);
            return null;
        });
    }

    /** The body every typed form shares: arguments as Java values in, the result (or null) out. */
    @FunctionalInterface
    private interface Body {
        Object apply(Caller caller, Object[] args) throws Exception;
    }

    private static HostFunction typed(String module, String name, List<ValueType<?>> params, ValueType<?> result, Body body) {
        FunctionType type = FunctionType.of(params, result == null ? List.of() : List.of(result));
        FuncType t = type.funcType();
        ValType resultType = result == null ? null : result.valType();
        String what = "the result of host function " + module + "." + name;
        return new HostFunction(module, name, type, (caller, args) -> {
            Object r = body.apply(caller, JavaValues.fromRaw(t.params(), args, caller.store()));
            if (resultType == null) return null;
            return JavaValues.toRaw(t.results(), new Object[] {r}, caller.store(), what);
        });
    }
}
