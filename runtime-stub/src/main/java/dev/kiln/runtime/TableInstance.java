package dev.kiln.runtime;

import dev.kiln.frontend.TableType;
import dev.kiln.frontend.TypeHierarchy;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A table: a native array of references (funcref descriptor addresses or externref handles, 0 =
 * null) and a native record {base, size} that VMContexts point to, so every instance sharing the
 * table sees growth at once.
 *
 * <p>Host code reads and writes elements as Java values: a {@link FunctionInstance} (or null) in a
 * {@code funcref} table, any object (or null) in an {@code externref} table. An index outside the
 * table throws {@link WasmTrap} of kind {@link dev.kiln.runtime.TrapKind#OUT_OF_BOUNDS_TABLE}.
 */
public final class TableInstance implements Extern {
    /** Implementation limit on table size (the JS API's). */
    public static final long MAX_ELEMENTS = 10_000_000;

    final Store store;
    private final TableType type;
    private final long max;
    private final MemorySegment record;
    private Arena elementsArena;
    private MemorySegment elements;
    private long size;

    /** The defining module's types, for matching a type index across modules (null: no type indices). */
    TypeHierarchy types;

    TableInstance(TableType type, long initValue, Store store, long hostMaxElements) {
        this.type = type;
        this.store = store;
        Arena storeArena = store.arena;
        long declared = type.limits().hasMax() ? type.limits().max() : 0xFFFF_FFFFL;
        if (declared < 0) declared = Long.MAX_VALUE; // a table64 maximum of 2^63 or more (u64)
        this.max = Math.min(declared, Math.min(MAX_ELEMENTS, hostMaxElements));
        long min = type.limits().min();
        if (min > max) throw new LinkException("table of " + min + " elements exceeds the limit of " + max);
        this.record = storeArena.allocate(VmContextLayout.TABLE_RECORD_SIZE, 8);
        allocate(min);
        size = min;
        if (initValue != 0) fillRaw(0, min, initValue); // a new allocation is zeroed: null everywhere
        publish();
    }

    private void allocate(long capacity) {
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(Math.max(8, capacity * 8), 8);
        if (elements != null) MemorySegment.copy(elements, 0, seg, 0, size * 8);
        Arena old = elementsArena;
        elementsArena = arena;
        elements = seg;
        if (old != null) old.close();
    }

    private void publish() {
        record.set(ValueLayout.JAVA_LONG, VmContextLayout.TABLE_BASE, elements.address());
        record.set(ValueLayout.JAVA_LONG, VmContextLayout.TABLE_SIZE, size);
    }

    /** The table's element type and limits (the minimum is the size it was created with). */
    @Override
    public dev.kiln.runtime.TableType type() {
        return dev.kiln.runtime.TableType.of(type);
    }

    /** The module's view of the type (import matching). */
    TableType tableType() {
        return type;
    }

    /** The reference type of the elements. */
    public ValueType<?> elementType() {
        return ValueType.of(type.elementType());
    }

    ValType valElementType() {
        return type.elementType();
    }

    Store store() {
        return store;
    }

    /** Address of the table's record {base, size}. */
    long recordAddress() {
        return record.address();
    }

    /** Current number of elements. */
    public long size() {
        return size;
    }

    /** Element {@code index}: a {@link FunctionInstance} or host object, null for the null reference. */
    public Object element(long index) {
        if (index < 0 || index >= size) throw outOfBounds(index);
        return store.referenceValue(valElementType(), elements.getAtIndex(ValueLayout.JAVA_LONG, index));
    }

    /**
     * Sets element {@code index} to {@code value}: a function of this store (or null) in a
     * {@code funcref} table, any object (or null) in an {@code externref} table.
     */
    public void setElement(long index, Object value) {
        long raw = store.referenceRaw(valElementType(), value);
        if (index < 0 || index >= size) throw outOfBounds(index);
        elements.setAtIndex(ValueLayout.JAVA_LONG, index, raw);
    }

    /** Grows by {@code delta} elements set to {@code init}; returns the old size, or -1 when it cannot grow that much. */
    public long grow(long delta, Object init) {
        long raw = store.referenceRaw(valElementType(), init);
        return store.using(() -> growNow(delta, raw));
    }

    private WasmTrap outOfBounds(long index) {
        return new WasmTrap(TrapKind.OUT_OF_BOUNDS_TABLE, List.of(),
                new IndexOutOfBoundsException("element " + index + " is outside the table of " + size + " elements"));
    }

    long get(long index) {
        if (index < 0 || index >= size) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        return elements.getAtIndex(ValueLayout.JAVA_LONG, index);
    }

    void set(long index, long value) {
        if (index < 0 || index >= size) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        elements.setAtIndex(ValueLayout.JAVA_LONG, index, value);
    }

    /** table.grow from guest code (the elements may move: no other thread runs the store's code). */
    long growNow(long delta, long init) {
        long old = size;
        if (delta < 0 || delta > max - old) return -1;
        if ((old + delta) * 8 > elements.byteSize()) allocate(Math.min(max, Math.max(old + delta, old * 2)));
        size = old + delta;
        fillRaw(old, delta, init);
        publish();
        return old;
    }

    void fill(long index, long value, long n) {
        if (outside(index, n, size)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        fillRaw(index, n, value);
    }

    private void fillRaw(long from, long n, long value) {
        for (long i = from; i < from + n; i++) elements.setAtIndex(ValueLayout.JAVA_LONG, i, value);
    }

    static void copy(TableInstance dst, long d, TableInstance src, long s, long n) {
        if (outside(s, n, src.size) || outside(d, n, dst.size)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        MemorySegment.copy(src.elements, s * 8, dst.elements, d * 8, n * 8);
    }

    void init(long d, long[] items, long s, long n) {
        if (outside(s, n, items.length) || outside(d, n, size)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        MemorySegment.copy(items, (int) s, elements, ValueLayout.JAVA_LONG, d * 8, (int) n);
    }

    /** Whether {@code [start, start + n)} leaves {@code [0, size)}, unsigned and without overflow (table64 indices are u64). */
    private static boolean outside(long start, long n, long size) {
        return Long.compareUnsigned(n, size) > 0 || Long.compareUnsigned(start, size - n) > 0;
    }

    void release() {
        if (elementsArena != null) {
            elementsArena.close();
            elementsArena = null;
        }
    }
}
