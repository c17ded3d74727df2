package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.MemoryType;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.runtime.internal.TypeRegistry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns everything instances allocate: native memory (VMContexts, global cells, tables, linear
 * memories, funcref descriptors), the canonical function-type ids, and the handles through which
 * references name functions and host objects. Close it to release the native memory.
 */
public final class Store implements AutoCloseable {
    final Arena arena = Arena.ofShared();
    final TypeRegistry types = new TypeRegistry();
    private final List<FunctionInstance> functionsByHandle = new ArrayList<>();
    private final List<Object> externObjects = new ArrayList<>();
    private final Map<Object, Long> externHandles = new IdentityHashMap<>();
    private final List<MemoryInstance> memories = new ArrayList<>();
    private final List<TableInstance> tables = new ArrayList<>();
    private final ExecutionState state = new ExecutionState(arena);
    /** A VMContext with only the execution state, passed to host functions called through a funcref. */
    private final MemorySegment hostContext;
    private Tier tier = Tier.INTERP;
    private long maxMemoryPages = MemoryType.MAX_PAGES;
    private long maxTableElements = TableInstance.MAX_ELEMENTS;
    private boolean closed;

    public Store() {
        hostContext = arena.allocate(VmContextLayout.SIZE, 16);
        hostContext.set(ValueLayout.JAVA_LONG, VmContextLayout.STATE, state.address());
    }

    /** Chooses how functions of instances created from now on run (default: the interpreter). */
    public Store tier(Tier tier) {
        if (tier == Tier.NATIVE && Backends.host() == null) {
            throw new UnsupportedOperationException("no native backend for this machine (" + System.getProperty("os.arch") + ")");
        }
        this.tier = tier;
        if (tier == Tier.AUTO) TierUp.enable();
        return this;
    }

    private volatile long firstInstructionNanos;

    void firstInstruction() {
        if (firstInstructionNanos == 0) firstInstructionNanos = System.nanoTime();
    }

    /** System.nanoTime() when Wasm code first ran in this store, or 0. */
    public long firstInstructionNanos() {
        return firstInstructionNanos;
    }

    public Tier tier() {
        return tier;
    }

    ExecutionState state() {
        return state;
    }

    dev.kiln.ir.code.Backend backend() {
        return Backends.host();
    }

    /** Caps every memory's growth (pages of 64 KiB); growth past it fails like any failed memory.grow. */
    public Store maxMemoryPages(long pages) {
        this.maxMemoryPages = pages;
        return this;
    }

    /** Caps every table's growth (elements). */
    public Store maxTableElements(long elements) {
        this.maxTableElements = elements;
        return this;
    }

    long maxMemoryPages() {
        return maxMemoryPages;
    }

    long maxTableElements() {
        return maxTableElements;
    }

    /** Instantiates a module: resolves imports, initialises state and segments, runs the start function. */
    public Instance instantiate(WasmModule module, Imports imports) {
        return Instance.create(this, module, imports);
    }

    /** Binds a host function to this store so modules can import it. */
    public HostFunctionInstance hostFunction(HostFunction f) {
        return new HostFunctionInstance(this, f);
    }

    public int typeId(FuncType t) {
        return types.idOf(t);
    }

    MemoryInstance newMemory(MemoryType t) {
        MemoryInstance m = new MemoryInstance(t, maxMemoryPages);
        memories.add(m);
        return m;
    }

    TableInstance newTable(dev.kiln.frontend.TableType t, long init) {
        TableInstance table = new TableInstance(t, init, arena, maxTableElements);
        tables.add(table);
        return table;
    }

    /** The funcref value (descriptor address) of a function, creating its descriptor on first use. */
    synchronized long funcref(FunctionInstance f) {
        if (f.descriptor != 0) return f.descriptor;
        f.handle = functionsByHandle.size();
        functionsByHandle.add(f);
        MemorySegment d = arena.allocate(VmContextLayout.FUNC_DESCRIPTOR_SIZE, 8);
        if (f instanceof WasmFunction wf) {
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_VMCTX, wf.instance.vmctxAddress());
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_CODE, wf.instance.nativeEntry(wf.index));
        } else if (f instanceof HostFunctionInstance h) {
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_VMCTX, hostContext.address());
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_CODE, hostStub(h));
        }
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_TYPE_ID, typeId(f.type));
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_HANDLE, f.handle);
        f.descriptor = d.address();
        return f.descriptor;
    }

    /** The upcall stub that runs a host function when native code calls it (made on first use). */
    synchronized long hostStub(HostFunctionInstance h) {
        if (h.nativeStub == 0) h.nativeStub = NativeUpcalls.hostStub(h, arena);
        return h.nativeStub;
    }

    FunctionInstance functionByHandle(int handle) {
        return functionsByHandle.get(handle);
    }

    /** The function a funcref value names, or null for the null reference. */
    public FunctionInstance function(long funcref) {
        if (funcref == 0) return null;
        int handle = MemorySegment.NULL.reinterpret(Long.MAX_VALUE).get(ValueLayout.JAVA_INT, funcref + VmContextLayout.FUNC_HANDLE);
        return functionByHandle(handle);
    }

    /** The externref value for a host object (the same object always gives the same value); null gives 0. */
    public synchronized long externRef(Object o) {
        if (o == null) return 0;
        Long h = externHandles.get(o);
        if (h != null) return h;
        externObjects.add(o);
        long handle = externObjects.size();
        externHandles.put(o, handle);
        return handle;
    }

    /** The host object of an externref value, or null. */
    public synchronized Object externObject(long ref) {
        return ref == 0 ? null : externObjects.get((int) ref - 1);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Instance.forget(this);
        for (MemoryInstance m : memories) m.release();
        for (TableInstance t : tables) t.release();
        arena.close();
    }
}
