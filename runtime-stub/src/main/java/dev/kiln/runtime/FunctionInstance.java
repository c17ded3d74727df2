package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.TypeHierarchy;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A callable function: a Wasm function of an instance, or a host function.
 *
 * <p>Three ways to call it:
 * <ul>
 *   <li>a typed view when the signature is a common one, checked once:
 *       {@code IntBinaryOperator add = f.asIntBinaryOperator(); add.applyAsInt(2, 3)};</li>
 *   <li>{@link #apply(Object...)} with Java values (Integer for i32, Long for i64, Float, Double,
 *       {@link V128}, {@link FunctionInstance} for funcref, any object for externref), checked
 *       against the type, results likewise;</li>
 *   <li>{@link #call(long...)} in the raw encoding: one {@code long} per value (i32 and f32 in the
 *       low 32 bits, f32/f64 as their IEEE bits), two for a v128 (low half first), references as
 *       the raw values this store gave out.</li>
 * </ul>
 * Each throws {@link WasmTrap} when Wasm code traps, {@link WasmException} when a Wasm exception
 * leaves it uncaught, {@link ProcessExit} when the program exits, {@link StoreInUseException} when
 * another thread is using the store (a store is used by one thread at a time) and
 * {@link IllegalStateException} when the store is closed.
 */
public abstract sealed class FunctionInstance implements Extern permits WasmFunction, HostFunctionInstance {
    final Store store;
    final FuncType type;
    /** The store's handle for the function, assigned when a funcref to it is first made. */
    int handle = -1;
    /** Address of its funcref descriptor, once made. */
    long descriptor;

    FunctionInstance(Store store, FuncType type) {
        this.store = store;
        this.type = type;
    }

    /** The function's parameter and result types. */
    @Override
    public FunctionType type() {
        return FunctionType.of(type);
    }

    /** The canonical key of the function's type (see {@code TypeHierarchy.canonicalKey}). */
    String typeKey() {
        return TypeHierarchy.keyOf(type);
    }

    /** The compiler's view of the type. */
    FuncType funcType() {
        return type;
    }

    /** A name for messages. */
    abstract String displayName();

    /**
     * Calls the function with raw arguments (see the class comment); returns the raw results.
     *
     * @throws IllegalArgumentException when the number of arguments is wrong, or a reference argument is not one of this store's
     */
    public long[] call(long... args) {
        int slots = RawValues.slots(type.params());
        if (args.length != slots) {
            throw new IllegalArgumentException(displayName() + " " + type + " takes " + slots + " raw argument(s), got " + args.length);
        }
        int k = 0;
        for (ValType t : type.params()) {
            if (t.isReference()) store.checkRaw(t, args[k]);
            k += RawValues.slots(t);
        }
        checkArguments(args);
        return callChecked(args);
    }

    private long[] callChecked(long[] args) {
        store.enter();
        try {
            long[] results = invoke(null, args);
            store.rootReferences(type.results(), results);
            return results;
        } catch (TrapException t) {
            if (t.kind == dev.kiln.ir.TrapKind.INTERRUPTED) store.interruptDelivered();
            throw WasmTrap.of(t);
        } catch (ThrownException e) {
            throw WasmException.of(e);
        } catch (StackOverflowError e) { // the caller's Java stack was nearly full before the guest ran
            throw new WasmTrap(dev.kiln.ir.TrapKind.CALL_STACK_EXHAUSTED, List.of(), null);
        } finally {
            store.exit();
        }
    }

    /**
     * Calls the function with Java values, checked against its parameter types; returns its
     * results as Java values (an empty array when it has none).
     *
     * @throws IllegalArgumentException when an argument is missing, extra or of another type
     */
    public Object[] apply(Object... args) {
        long[] raw = JavaValues.toRaw(type.params(), args, store, displayName() + " " + type);
        return JavaValues.fromRaw(type.results(), callChecked(raw), store);
    }

    // ---- typed views: the type is checked once, when the view is made ----

    /** A view of a {@code (func)}: no parameters, no results. */
    public Runnable asRunnable() {
        require("()->()");
        return () -> callChecked(new long[0]);
    }

    /** A view of a {@code (func (result i32))}. */
    public IntSupplier asIntSupplier() {
        require("()->i32");
        return () -> (int) callChecked(new long[0])[0];
    }

    /** A view of a {@code (func (param i32))}. */
    public IntConsumer asIntConsumer() {
        require("i32->()");
        return a -> callChecked(new long[] {Integer.toUnsignedLong(a)});
    }

    /** A view of a {@code (func (param i32) (result i32))}. */
    public IntUnaryOperator asIntUnaryOperator() {
        require("i32->i32");
        return a -> (int) callChecked(new long[] {Integer.toUnsignedLong(a)})[0];
    }

    /** A view of a {@code (func (param i32 i32) (result i32))}. */
    public IntBinaryOperator asIntBinaryOperator() {
        require("i32,i32->i32");
        return (a, b) -> (int) callChecked(new long[] {Integer.toUnsignedLong(a), Integer.toUnsignedLong(b)})[0];
    }

    /** A view of a {@code (func (result i64))}. */
    public LongSupplier asLongSupplier() {
        require("()->i64");
        return () -> callChecked(new long[0])[0];
    }

    /** A view of a {@code (func (param i64) (result i64))}. */
    public LongUnaryOperator asLongUnaryOperator() {
        require("i64->i64");
        return a -> callChecked(new long[] {a})[0];
    }

    /** A view of a {@code (func (param i64 i64) (result i64))}. */
    public LongBinaryOperator asLongBinaryOperator() {
        require("i64,i64->i64");
        return (a, b) -> callChecked(new long[] {a, b})[0];
    }

    /** A view of a {@code (func (result f64))}. */
    public DoubleSupplier asDoubleSupplier() {
        require("()->f64");
        return () -> Double.longBitsToDouble(callChecked(new long[0])[0]);
    }

    /** A view of a {@code (func (param f64) (result f64))}. */
    public DoubleUnaryOperator asDoubleUnaryOperator() {
        require("f64->f64");
        return a -> Double.longBitsToDouble(callChecked(new long[] {Double.doubleToRawLongBits(a)})[0]);
    }

    /** A view of a {@code (func (param f64 f64) (result f64))}. */
    public DoubleBinaryOperator asDoubleBinaryOperator() {
        require("f64,f64->f64");
        return (a, b) -> Double.longBitsToDouble(callChecked(new long[] {Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b)})[0]);
    }

    // ---- typed views of any value types (f32, v128, references), boxed ----

    /** A view of a {@code (func (result R))}, e.g. {@code f.asSupplier(ValueType.F32).get()} is a {@link Float}. */
    public <R> Supplier<R> asSupplier(ValueType<R> result) {
        FuncType checked = require(List.of(), result);
        return () -> result(result, checked, callChecked(new long[0]));
    }

    /** A view of a {@code (func (param A))}. */
    public <A> Consumer<A> asConsumer(ValueType<A> param) {
        FuncType checked = require(List.of(param), null);
        return a -> callChecked(arguments(checked, a));
    }

    /** A view of a {@code (func (param A) (result R))}, e.g. {@code f.asFunction(F32, F32).apply(1.5f)}. */
    public <A, R> Function<A, R> asFunction(ValueType<A> param, ValueType<R> result) {
        FuncType checked = require(List.of(param), result);
        return a -> result(result, checked, callChecked(arguments(checked, a)));
    }

    /** A view of a {@code (func (param A B) (result R))}, e.g. {@code f.asBiFunction(V128, V128, V128).apply(x, y)}. */
    public <A, B, R> BiFunction<A, B, R> asBiFunction(ValueType<A> first, ValueType<B> second, ValueType<R> result) {
        FuncType checked = require(List.of(first, second), result);
        return (a, b) -> result(result, checked, callChecked(arguments(checked, a, b)));
    }

    /** A view of a {@code (func (param v128) (result v128))}. */
    public UnaryOperator<V128> asV128UnaryOperator() {
        return asFunction(ValueType.V128, ValueType.V128)::apply;
    }

    /** A view of a {@code (func (param v128 v128) (result v128))}. */
    public BinaryOperator<V128> asV128BinaryOperator() {
        return asBiFunction(ValueType.V128, ValueType.V128, ValueType.V128)::apply;
    }

    /** Checks the type against {@code params} and one result ({@code result}) or none (null); returns it. */
    private FuncType require(List<ValueType<?>> params, ValueType<?> result) {
        FunctionType expected = FunctionType.of(params, result == null ? List.of() : List.of(result));
        if (!expected.funcType().equals(type)) {
            throw new IllegalArgumentException(displayName() + " has type " + type + ", not " + expected);
        }
        return type;
    }

    private long[] arguments(FuncType checked, Object... values) {
        return JavaValues.toRaw(checked.params(), values, store, displayName() + " " + checked);
    }

    private <R> R result(ValueType<R> result, FuncType checked, long[] raw) {
        return result.javaType().cast(JavaValues.fromRaw(checked.results(), raw, store)[0]);
    }

    /** Checks the type against a shape like {@code "i32,i32->i32"}. */
    private void require(String shape) {
        if (!shape(type).equals(shape)) {
            String[] sides = shape.split("->");
            throw new IllegalArgumentException(displayName() + " has type " + type + ", not (" + sides[0] + ") -> (" + sides[1] + ")");
        }
    }

    private static String shape(FuncType t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.paramCount(); i++) sb.append(i > 0 ? "," : "").append(t.param(i));
        if (t.paramCount() == 0) sb.append("()");
        sb.append("->");
        for (int i = 0; i < t.resultCount(); i++) sb.append(i > 0 ? "," : "").append(t.result(i));
        if (t.resultCount() == 0) sb.append("()");
        return sb.toString();
    }

    /** Rejects arguments Wasm code must never see (a word that is no reference of the parameter's type into the GC heap). */
    void checkArguments(long[] args) {
    }

    /** Calls the function from {@code caller} (null from Java); traps propagate as TrapException. */
    abstract long[] invoke(Instance caller, long[] args);
}
