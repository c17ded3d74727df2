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

    public GlobalType type() {
        return type;
    }

    /** Address of the value cell. */
    public long cellAddress() {
        return cell.address();
    }

    /** The value as raw bits (i32/f32 in the low 32 bits); for a v128 global use {@link #getV128()}. */
    public long get() {
        ValType t = type.type();
        if (t == ValType.V128) throw new IllegalStateException("a v128 global has two halves: use getV128()");
        return t == ValType.I32 || t == ValType.F32 ? cell.get(ValueLayout.JAVA_INT, 0) : cell.get(ValueLayout.JAVA_LONG, 0);
    }

    /** The value of a v128 global. */
    public V128 getV128() {
        if (type.type() != ValType.V128) throw new IllegalStateException("not a v128 global: " + type);
        return new V128(cell.get(ValueLayout.JAVA_LONG, 0), cell.get(ValueLayout.JAVA_LONG, 8));
    }

    /** The value in raw slots: one, or two for a v128 (low half first). */
    public long[] raw() {
        return type.type() == ValType.V128 ? getV128().longs() : new long[] {get()};
    }

    /** Sets a mutable global (not a v128 one: use {@link #set(V128)}). */
    public void set(long value) {
        checkMutable();
        if (type.type() == ValType.V128) throw new IllegalStateException("a v128 global has two halves: use set(V128)");
        setRaw(new long[] {value});
    }

    /** Sets a mutable v128 global. */
    public void set(V128 value) {
        checkMutable();
        if (type.type() != ValType.V128) throw new IllegalStateException("not a v128 global: " + type);
        setRaw(value.longs());
    }

    private void checkMutable() {
        if (!type.mutable()) throw new IllegalStateException("global is immutable");
    }

    private void setRaw(long[] raw) {
        ValType t = type.type();
        if (t == ValType.I32 || t == ValType.F32) {
            cell.set(ValueLayout.JAVA_INT, 0, (int) raw[0]);
        } else {
            cell.set(ValueLayout.JAVA_LONG, 0, raw[0]);
            if (t == ValType.V128) cell.set(ValueLayout.JAVA_LONG, 8, raw[1]);
        }
    }
}
