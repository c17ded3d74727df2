package dev.kiln.runtime;

import dev.kiln.interpreter.CompiledFunction;
import dev.kiln.interpreter.InstanceContext;
import dev.kiln.interpreter.gc.GcHeap;
import dev.kiln.interpreter.gc.GcType;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Gives the interpreter what it needs of an {@link Instance}. */
final class InterpreterBinding implements InstanceContext {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private final Instance instance;
    private final long[] globalCells;

    /** Made once the instance's globals exist. */
    InterpreterBinding(Instance instance) {
        this.instance = instance;
        this.globalCells = new long[instance.globals.length];
        for (int i = 0; i < globalCells.length; i++) globalCells[i] = instance.globals[i].cellAddress();
    }

    /** Function entries and back-edges between checks for interruption when fuel is not metered. */
    static final int UNMETERED_POLL_INTERVAL = 4096;

    /**
     * Interruption first; then, when the store meters fuel, one unit for this event (and every next one polls).
     * The events counted down since the last poll are the program's progress the tier-up's pace counts;
     * functions whose compile ran meanwhile are unparked ({@link TierUp#unparkCompiled}).
     */
    @Override
    public int poll() {
        if (instance.interruptFlag()) throw new TrapException(TrapKind.INTERRUPTED);
        Store store = instance.store();
        TierUp.unparkCompiled();
        if (!store.fuelMetered()) {
            TierUp.progress(UNMETERED_POLL_INTERVAL);
            return UNMETERED_POLL_INTERVAL;
        }
        TierUp.progress(1);
        if (!ExecutionState.consumeFuel(store.state().address())) throw new TrapException(TrapKind.OUT_OF_FUEL);
        return 0;
    }

    /**
     * Tier-up thresholds of the store's engine: a function is hot once {@code calls / hotCalls +
     * backEdges / hotLoops >= 1}, counted as {@code calls * hotLoops + backEdges * hotCalls >=
     * hotCalls * hotLoops}. Only the auto tier promotes, so other tiers never report hot functions.
     */
    @Override
    public int callWeight() {
        return instance.store().engine().hotLoops();
    }

    @Override
    public int loopWeight() {
        return instance.store().engine().hotCalls();
    }

    @Override
    public long hotThreshold() {
        Store store = instance.store();
        if (store.tier() != Tier.AUTO) return Long.MAX_VALUE;
        return (long) store.engine().hotCalls() * store.engine().hotLoops();
    }

    @Override
    public long stackBytesAvailable() {
        return instance.store().interpreterStackAvailable();
    }

    @Override
    public CompiledFunction[] interpretedFunctions() {
        return instance.interpreted;
    }

    @Override
    public CompiledFunction prepare(int funcIndex) {
        return instance.definesFunction(funcIndex) ? instance.forInterpreter(funcIndex) : null;
    }

    @Override
    public MemorySegment memory() {
        return instance.memories.length > 0 ? instance.memories[0].reservation() : null;
    }

    @Override
    public long memorySize() {
        return instance.memories.length > 0 ? instance.memories[0].byteSize() : 0;
    }

    @Override
    public long[] globalCells() {
        return globalCells;
    }

    @Override
    public long[] callFunction(int funcIndex, long[] args) {
        if (instance.definesFunction(funcIndex)) return instance.invokeDefined(funcIndex, args);
        return instance.function(funcIndex).invoke(instance, args);
    }

    /** Whether the function of funcref descriptor {@code ref} has type {@code typeIndex}: the same type, or (WebAssembly 3.0) a declared subtype of it. */
    boolean hasType(long ref, int typeIndex) {
        int typeId = NATIVE.get(ValueLayout.JAVA_INT, ref + VmContextLayout.FUNC_TYPE_ID);
        if (typeId == instance.typeIds[typeIndex]) return true;
        return instance.store().functionGcType(ref).isSubtypeOf(instance.gcTypes[typeIndex]);
    }

    @Override
    public int resolveIndirect(int tableIndex, long elementIndex, int typeIndex) {
        TableInstance table = instance.tables[tableIndex];
        long idx = table.tableType().is64() ? elementIndex : elementIndex & 0xFFFF_FFFFL;
        if (Long.compareUnsigned(idx, table.size()) >= 0) throw new TrapException(TrapKind.UNDEFINED_ELEMENT);
        long ref = table.get(idx);
        if (ref == 0) throw new TrapException(TrapKind.UNINITIALIZED_ELEMENT);
        if (!hasType(ref, typeIndex)) throw new TrapException(TrapKind.INDIRECT_CALL_TYPE_MISMATCH);
        return target(ref);
    }

    @Override
    public int resolveRef(long ref) {
        if (ref == 0) throw new TrapException(TrapKind.NULL_FUNCTION_REFERENCE);
        return target(ref);
    }

    /**
     * Where a call through descriptor {@code ref} goes: a function of this instance that runs in the
     * interpreter by its index (no function object made), any other by {@code -1 - handle}.
     */
    private int target(long ref) {
        int index = DefinedFuncrefs.indexOf(ref);
        if (index >= 0 && NATIVE.get(ValueLayout.JAVA_LONG, ref + VmContextLayout.FUNC_VMCTX) == instance.vmctxAddress()
                && instance.forInterpreter(index) != null) {
            return index;
        }
        Store store = instance.store();
        return -1 - store.handle(store.functionAt(ref));
    }

    @Override
    public long[] callHandle(int handle, long[] args) {
        return instance.store().functionByHandle(handle).invoke(instance, args);
    }

    @Override
    public long[] tailCallFunction(int funcIndex, long[] args) {
        if (instance.definesFunction(funcIndex)) return instance.invokeDefinedOrTail(funcIndex, args);
        return tailCall(instance.function(funcIndex), args);
    }

    @Override
    public long[] tailCallHandle(int handle, long[] args) {
        return tailCall(instance.store().functionByHandle(handle), args);
    }

    Instance instance() {
        return instance;
    }

    /** The function a tail call out of the interpreter targets: {@code target} of this instance, or {@code -1 - handle}. */
    FunctionInstance tailTarget(int target) {
        return target >= 0 ? instance.function(target) : instance.store().functionByHandle(-1 - target);
    }

    private long[] tailCall(FunctionInstance f, long[] args) {
        if (f instanceof WasmFunction wf) return wf.instance.invokeDefinedOrTail(wf.index, args);
        return f.invoke(instance, args);
    }

    @Override
    public long refFunc(int funcIndex) {
        return instance.funcref(funcIndex);
    }

    @Override
    public long memoryGrow(long deltaPages) {
        return instance.memories[0].growNow(deltaPages);
    }

    @Override
    public void memoryFill(long dst, int value, long n) {
        instance.memoryFill(dst, value, n);
    }

    @Override
    public void memoryCopy(long dst, long src, long n) {
        instance.memoryCopy(dst, src, n);
    }

    @Override
    public void memoryInit(int segment, long dst, long src, long n) {
        instance.memoryInit(segment, dst, src, n);
    }

    @Override
    public void dataDrop(int segment) {
        instance.dataDropped[segment] = true;
    }

    @Override
    public long tableGet(int table, long index) {
        return instance.tables[table].get(index);
    }

    @Override
    public void tableSet(int table, long index, long value) {
        instance.tables[table].set(index, value);
    }

    @Override
    public long tableSize(int table) {
        return instance.tables[table].size();
    }

    @Override
    public long tableGrow(int table, long init, long delta) {
        return instance.tables[table].growNow(delta, init);
    }

    @Override
    public void tableFill(int table, long index, long value, long n) {
        instance.tables[table].fill(index, value, n);
    }

    @Override
    public void tableCopy(int dstTable, int srcTable, long dst, long src, long n) {
        TableInstance.copy(instance.tables[dstTable], dst, instance.tables[srcTable], src, n);
    }

    @Override
    public void tableInit(int segment, int table, long dst, long src, long n) {
        instance.tables[table].init(dst, instance.elementItems[segment], src, n);
    }

    @Override
    public void onHot(CompiledFunction f) {
        instance.hot(f);
    }

    @Override
    public void onHotLoop(CompiledFunction f, int osrIndex) {
        instance.hotLoop(f, osrIndex);
    }

    @Override
    public long[] enterOsr(CompiledFunction f, int osrIndex, long[] values) {
        NativeModule.OsrEntry e = (NativeModule.OsrEntry) f.osrEntries[osrIndex];
        return NativeBinding.invoke(instance, e.type(), e.address(), values);
    }

    @Override
    public long memoryAddress(int memory) {
        return instance.memories[memory].baseAddress();
    }

    @Override
    public long memorySize(int memory) {
        return instance.memories[memory].byteSize();
    }

    @Override
    public long memoryGrow(int memory, long deltaPages) {
        return instance.memories[memory].growNow(deltaPages); // guest code runs as the store's user already
    }

    @Override
    public void memoryFill(int memory, long dst, int value, long n) {
        instance.memories[memory].wasmFill(dst, (byte) value, n); // a Wasm trap (not the host API's), also when native code called this function
    }

    @Override
    public void memoryCopy(int dstMemory, int srcMemory, long dst, long src, long n) {
        MemoryInstance.copy(instance.memories[dstMemory], dst, instance.memories[srcMemory], src, n);
    }

    @Override
    public void memoryInit(int segment, int memory, long dst, long src, long n) {
        instance.memoryInit(segment, memory, dst, src, n);
    }

    @Override
    public boolean tableIs64(int table) {
        return instance.tables[table].tableType().is64();
    }

    @Override
    public Object tag(int tagIndex) {
        return instance.tags[tagIndex];
    }

    @Override
    public long exnRef(ThrownException e) {
        return instance.store().exnRef(e);
    }

    @Override
    public ThrownException exception(long ref) {
        return instance.store().exception(ref);
    }

    @Override
    public void elemDrop(int segment) {
        instance.elementItems[segment] = new long[0];
    }

    @Override
    public GcHeap gcHeap() {
        return instance.store().gcHeap();
    }

    @Override
    public GcType gcType(int typeIndex) {
        return instance.gcTypes[typeIndex];
    }

    @Override
    public GcType functionGcType(long funcref) {
        return instance.store().functionGcType(funcref);
    }

    @Override
    public MemorySegment dataSegment(int segment) {
        return instance.dataSegment(segment);
    }

    @Override
    public long[] elemSegment(int segment) {
        return instance.elementItems[segment];
    }
}
