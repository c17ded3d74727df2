package dev.kiln.runtime;

import dev.kiln.frontend.GlobalType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A global: a 16-byte native cell holding its value (i32/f32 in the first 4 bytes, i64/f64 and
 * references in the first 8), shared by every instance that imports it.
 */
public final class GlobalInstance implements Extern {
    final Store store;
    private final GlobalType type;
    private final MemorySegment cell;

    /** The defining module's types, for matching a type index across modules (null: no type indices). */
    dev.kiln.frontend.TypeHierarchy types;

    GlobalInstance(Store store, GlobalType type, long value) {
        this.store = store;
        this.type = type;
        this.cell = store.arena.allocate(VmContextLayout.GLOBAL_CELL_SIZE, 16);
        setRaw(value);
    }

    public GlobalType type() {
        return type;
    }

    /** Address of the value cell. */
    public long cellAddress() {
        return cell.address();
    }

    /** The value as raw bits (i32/f32 in the low 32 bits). */
    public long get() {
        ValType t = type.type();
        return t == ValType.I32 || t == ValType.F32 ? cell.get(ValueLayout.JAVA_INT, 0) : cell.get(ValueLayout.JAVA_LONG, 0);
    }

    /** Sets a mutable global. */
    public void set(long value) {
        if (!type.mutable()) throw new IllegalStateException("global is immutable");
        setRaw(value);
    }

    void setRaw(long value) {
        ValType t = type.type();
        if (t == ValType.I32 || t == ValType.F32) cell.set(ValueLayout.JAVA_INT, 0, (int) value);
        else cell.set(ValueLayout.JAVA_LONG, 0, value);
    }
}
