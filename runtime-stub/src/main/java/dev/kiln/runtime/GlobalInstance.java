package dev.kiln.runtime;

import dev.kiln.frontend.GlobalType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A global: a 16-byte native cell holding its value (i32/f32 in the first 4 bytes, i64/f64 and
 * references in the first 8, a v128 in all 16), shared by every instance that imports it.
 *
 * <p>Host code reads and writes it as a Java value ({@link #value()}, {@link #setValue(Object)}, or
 * the typed getters), or in the raw encoding of {@link FunctionInstance#call(long...)}.
 */
public final class GlobalInstance implements Extern {
    private final GlobalType type;
    private final Store store;
    private final MemorySegment cell;

    GlobalInstance(GlobalType type, long value, Store store) {
        this.type = type;
        this.store = store;
        this.cell = store.arena.allocate(VmContextLayout.GLOBAL_CELL_SIZE, 16);
        setRaw(value);
    }

    /** The global's value type and mutability. */
    @Override
    public dev.kiln.runtime.GlobalType type() {
        return dev.kiln.runtime.GlobalType.of(type);
    }

    /** The module's view of the type (import matching). */
    GlobalType globalType() {
        return type;
    }

    Store store() {
        return store;
    }

    /** Address of the value cell. */
    long cellAddress() {
        return cell.address();
    }

    /**
     * The value as a Java object: Integer (i32), Long (i64), Float (f32), Double (f64),
     * {@link V128}, {@link FunctionInstance} (funcref), the host object (externref); null for a null reference.
     */
    public Object value() {
        ValType t = type.type();
        if (t == ValType.V128) return new V128(cell.get(ValueLayout.JAVA_LONG, 0), cell.get(ValueLayout.JAVA_LONG, 8));
        return JavaValues.fromRaw(t, get(), store);
    }

    /** Sets a mutable global to a Java value of its type (see {@link #value()}). */
    public void setValue(Object value) {
        requireMutable();
        initialize(value);
    }

    /** Sets the value whether the global is mutable or not (a new global's first value). */
    void initialize(Object value) {
        ValType t = type.type();
        if (t == ValType.V128) {
            V128 v = (V128) JavaValues.check(t, value, "the value of a v128 global");
            cell.set(ValueLayout.JAVA_LONG, 0, v.low());
            cell.set(ValueLayout.JAVA_LONG, 8, v.high());
            return;
        }
        setRaw(JavaValues.toRaw(t, value, store, "the value of a " + t + " global"));
    }

    /** The value of an i32 global. */
    public int getInt() {
        return (Integer) typed(ValType.I32);
    }

    /** The value of an i64 global. */
    public long getLong() {
        return (Long) typed(ValType.I64);
    }

    /** The value of an f32 global. */
    public float getFloat() {
        return (Float) typed(ValType.F32);
    }

    /** The value of an f64 global. */
    public double getDouble() {
        return (Double) typed(ValType.F64);
    }

    private Object typed(ValType expected) {
        if (type.type() != expected) throw new IllegalStateException("the global is " + type.type() + ", not " + expected);
        return value();
    }

    /** The value in the raw encoding: i32/f32 in the low 32 bits, f32/f64 as their bits, references as handles. */
    public long get() {
        ValType t = type.type();
        return t == ValType.I32 || t == ValType.F32 ? cell.get(ValueLayout.JAVA_INT, 0) : cell.get(ValueLayout.JAVA_LONG, 0);
    }

    /**
     * Sets a mutable global from the raw encoding ({@link #get()}); a reference must be one of this
     * store's ({@link IllegalArgumentException} otherwise).
     */
    public void set(long value) {
        requireMutable();
        if (type.type().isReference()) store.checkRaw(type.type(), value);
        setRaw(value);
    }

    private void requireMutable() {
        if (!type.mutable()) throw new IllegalStateException("global is immutable");
    }

    void setRaw(long value) {
        ValType t = type.type();
        if (t == ValType.I32 || t == ValType.F32) cell.set(ValueLayout.JAVA_INT, 0, (int) value);
        else cell.set(ValueLayout.JAVA_LONG, 0, value);
    }
}
