package dev.kiln.runtime;

import dev.kiln.frontend.GlobalType;
import dev.kiln.frontend.TypeHierarchy;
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
    final Store store;
    private final GlobalType type;
    private final MemorySegment cell;

    /** The defining module's types, for matching a type index across modules (null: no type indices). */
    TypeHierarchy types;

    /** A global holding {@code raw}: one slot, or two for a v128 (see {@link dev.kiln.frontend.RawValues}). */
    GlobalInstance(Store store, GlobalType type, long[] raw) {
        this.store = store;
        this.type = type;
        this.cell = store.arena.allocate(VmContextLayout.GLOBAL_CELL_SIZE, 16);
        setRaw(raw);
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
        if (t.equals(ValType.V128)) return getV128();
        return JavaValues.fromRaw(t, get(), store);
    }

    /** Sets a mutable global to a Java value of its type (see {@link #value()}). */
    public void setValue(Object value) {
        checkMutable();
        initialize(value);
    }

    /** Sets the value whether the global is mutable or not (a new global's first value). */
    void initialize(Object value) {
        ValType t = type.type();
        if (t.equals(ValType.V128)) {
            V128 v = (V128) JavaValues.check(t, value, "the value of a v128 global");
            setRaw(v.longs());
            return;
        }
        setRaw(new long[] {JavaValues.toRaw(t, value, store, "the value of a " + t + " global")});
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
        if (!type.type().equals(expected)) throw new IllegalStateException("the global is " + type.type() + ", not " + expected);
        return value();
    }

    /**
     * The value in the raw encoding: i32/f32 in the low 32 bits, f32/f64 as their bits, references
     * as handles; for a v128 global use {@link #getV128()}.
     */
    public long get() {
        ValType t = type.type();
        if (t.equals(ValType.V128)) throw new IllegalStateException("a v128 global has two halves: use getV128()");
        return t.equals(ValType.I32) || t.equals(ValType.F32) ? cell.get(ValueLayout.JAVA_INT, 0) : cell.get(ValueLayout.JAVA_LONG, 0);
    }

    /** The value of a v128 global. */
    public V128 getV128() {
        if (!type.type().equals(ValType.V128)) throw new IllegalStateException("not a v128 global: " + type);
        return new V128(cell.get(ValueLayout.JAVA_LONG, 0), cell.get(ValueLayout.JAVA_LONG, 8));
    }

    /** The value in raw slots: one, or two for a v128 (low half first). */
    public long[] raw() {
        return type.type().equals(ValType.V128) ? getV128().longs() : new long[] {get()};
    }

    /**
     * Sets a mutable global from the raw encoding ({@link #get()}; not a v128 one: use
     * {@link #set(V128)}); a reference must be one of this store's ({@link IllegalArgumentException} otherwise).
     */
    public void set(long value) {
        checkMutable();
        if (type.type().equals(ValType.V128)) throw new IllegalStateException("a v128 global has two halves: use set(V128)");
        if (type.type().isReference()) store.checkRaw(type.type(), value);
        setRaw(new long[] {value});
    }

    /** Sets a mutable v128 global. */
    public void set(V128 value) {
        checkMutable();
        if (!type.type().equals(ValType.V128)) throw new IllegalStateException("not a v128 global: " + type);
        setRaw(value.longs());
    }

    private void checkMutable() {
        if (!type.mutable()) throw new IllegalStateException("global is immutable");
    }

    void setRaw(long[] raw) {
        ValType t = type.type();
        if (t.equals(ValType.I32) || t.equals(ValType.F32)) {
            cell.set(ValueLayout.JAVA_INT, 0, (int) raw[0]);
        } else {
            cell.set(ValueLayout.JAVA_LONG, 0, raw[0]);
            if (t.equals(ValType.V128)) cell.set(ValueLayout.JAVA_LONG, 8, raw[1]);
        }
    }
}
