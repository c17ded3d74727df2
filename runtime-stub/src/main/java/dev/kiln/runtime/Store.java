package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.MemoryType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.runtime.internal.Backends;
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
 *
 * <p>A store runs code the way its {@link Engine} says ({@code engine.newStore()}); {@code new
 * Store()} uses the interpreter. It carries the embedder's data for host functions
 * ({@link #data(Object)}, {@link Caller#data()}), and makes memories, tables and globals that
 * modules can import ({@link #newMemory(dev.kiln.runtime.MemoryType)}, {@link #newTable},
 * {@link #newGlobal}).
 */
public final class Store implements AutoCloseable {
    /** Stores by the address of their host context, for host functions called from native code. */
    private static final Map<Long, Store> BY_HOST_CONTEXT = new java.util.concurrent.ConcurrentHashMap<>();
    final Arena arena = Arena.ofShared();
    final TypeRegistry types = new TypeRegistry();
    private final List<FunctionInstance> functionsByHandle = new ArrayList<>();
    private final List<Object> externObjects = new ArrayList<>();
    private final Map<Object, Long> externHandles = new IdentityHashMap<>();
    private final List<MemoryInstance> memories = new ArrayList<>();
    private final List<TableInstance> tables = new ArrayList<>();
    private final ExecutionState state = new ExecutionState(arena);
    private final List<Instance> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean fuelMetered;
    private volatile boolean interruptRequested;
    /** Whether compiled code may run in this store yet (see {@link #activateNative}). */
    private volatile boolean nativeActive;
    /** A VMContext with only the execution state, passed to host functions called through a funcref. */
    private final MemorySegment hostContext;
    private final Engine engine;
    private Tier tier;
    private volatile Object data;
    /** Host functions bound to this store, so defining one twice gives one function. */
    private final Map<HostFunction, HostFunctionInstance> boundHostFunctions = new IdentityHashMap<>();
    /** Every funcref descriptor this store made: the only valid non-null function references. */
    private final Map<Long, FunctionInstance> byDescriptor = new java.util.concurrent.ConcurrentHashMap<>();
    private long maxMemoryPages = MemoryType.MAX_PAGES;
    private long maxTableElements = TableInstance.MAX_ELEMENTS;
    private boolean closed;

    /** A store on the interpreter tier, without a cache. */
    public Store() {
        this(Engine.INTERPRETER);
    }

    /** A store running code as {@code engine} says (the same as {@code engine.newStore()}). */
    public Store(Engine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        this.tier = engine.tier() == Tier.AUTO && Backends.host() == null ? Tier.INTERP : engine.tier();
        this.fuelMetered = engine.fuel();
        hostContext = arena.allocate(VmContextLayout.SIZE, 16);
        hostContext.set(ValueLayout.JAVA_LONG, VmContextLayout.STATE, state.address());
        BY_HOST_CONTEXT.put(hostContext.address(), this);
    }

    /** The engine this store runs code with. */
    public Engine engine() {
        return engine;
    }

    /** Chooses how functions of instances created from now on run (default: the engine's tier). */
    public Store tier(Tier tier) {
        if (tier == Tier.NATIVE && Backends.host() == null) {
            throw new UnsupportedOperationException("no native backend for this machine (" + System.getProperty("os.arch") + ")");
        }
        this.tier = tier;
        return this;
    }

    /** Attaches the embedder's data to this store; host functions reach it through {@link Caller#data()}. */
    public Store data(Object data) {
        this.data = data;
        return this;
    }

    /** The embedder's data ({@link #data(Object)}), or null. */
    public Object data() {
        return data;
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

    // ---- resource limits: fuel and interruption ----

    /**
     * Meters fuel from now on and sets the fuel left to {@code units}: every function entry and
     * every loop back-edge consumes one unit, in every tier, so the same program runs out at the
     * same point whichever tier runs it; then it traps with "out of fuel". Turn metering on before
     * the first instantiation (metered native code differs); call again to top up.
     */
    public Store fuel(long units) {
        if (units < 0) throw new IllegalArgumentException("fuel must not be negative: " + units);
        synchronized (this) {
            if (!fuelMetered && !instances.isEmpty()) {
                throw new IllegalStateException("turn fuel metering on before instantiating modules in this store");
            }
            fuelMetered = true;
        }
        state.setFuel(units);
        return this;
    }

    /** Fuel left (0 once code ran out), or -1 when this store does not meter fuel. */
    public long fuel() {
        return fuelMetered ? Math.max(0, state.fuel()) : -1;
    }

    boolean fuelMetered() {
        return fuelMetered;
    }

    /** The code options of this store's native code (metered or not). */
    dev.kiln.ir.code.CodeOptions codeOptions() {
        return fuelMetered ? dev.kiln.ir.code.CodeOptions.FUEL : dev.kiln.ir.code.CodeOptions.DEFAULT;
    }

    /**
     * Stops the Wasm code running in this store, from any thread: it traps with "interrupted" at
     * its next function entry or loop iteration, in any tier (within microseconds). When nothing
     * runs, the next call traps. The request ends when the trap reaches the caller.
     */
    public void interrupt() {
        interruptRequested = true;
        for (Instance i : instances) i.setInterruptFlag(true);
    }

    /** The interrupted trap reached the embedder: later calls run normally. */
    void interruptDelivered() {
        interruptRequested = false;
        for (Instance i : instances) i.setInterruptFlag(false);
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

    /**
     * Instantiates a module: resolves imports, initialises state and segments, runs the start function.
     *
     * @throws LinkException when an import is missing or has another type
     * @throws WasmTrap      when the start function or a segment traps
     */
    public Instance instantiate(WasmModule module, Imports imports) {
        return Instance.create(this, module, imports);
    }

    /** Instantiates a module that imports nothing. */
    public Instance instantiate(WasmModule module) {
        return instantiate(module, new Imports());
    }

    /** Binds a host function to this store so modules can import it (the same definition gives the same function). */
    public synchronized HostFunctionInstance hostFunction(HostFunction f) {
        return boundHostFunctions.computeIfAbsent(f, d -> new HostFunctionInstance(this, d));
    }

    int typeId(FuncType t) {
        return types.idOf(t);
    }

    // ---- memories, tables and globals made by the host ----

    /**
     * A new linear memory of {@code type}, for modules to import ({@link Imports#define(String, String, Extern)})
     * and for host code to use. It lives until the store is closed.
     *
     * @throws LinkException when the store's cap ({@link #maxMemoryPages}) is below the minimum, or the memory cannot be reserved
     */
    public MemoryInstance newMemory(dev.kiln.runtime.MemoryType type) {
        return newMemory(type.memoryType());
    }

    /** A new table of {@code type} with every element {@code init} (a function of this store, a host object, or null). */
    public TableInstance newTable(dev.kiln.runtime.TableType type, Object init) {
        return newTable(type.tableType(), referenceRaw(type.elementType().valType(), init));
    }

    /** A new global of {@code type} holding {@code value} (see {@link GlobalInstance#value()} for the Java types). */
    public GlobalInstance newGlobal(dev.kiln.runtime.GlobalType type, Object value) {
        GlobalInstance g = new GlobalInstance(type.globalType(), 0, this);
        g.initialize(value);
        return g;
    }

    /** True when {@code e} was made in this store (an instance may only import from its own store). */
    synchronized boolean owns(Extern e) {
        return switch (e) {
            case FunctionInstance f -> f.store == this;
            case TableInstance t -> t.store() == this;
            case GlobalInstance g -> g.store() == this;
            case MemoryInstance m -> memories.stream().anyMatch(x -> x == m);
        };
    }

    // ---- references between Java and Wasm ----

    /** The raw value of a reference of type {@code t}: a function of this store or null (funcref), any object (externref). */
    long referenceRaw(ValType t, Object value) {
        if (value == null) return 0;
        if (t == ValType.EXTERNREF) return externRef(value);
        if (!(value instanceof FunctionInstance f)) {
            throw new IllegalArgumentException("a " + t + " must be a FunctionInstance or null, not a " + value.getClass().getSimpleName());
        }
        if (f.store != this) throw new IllegalArgumentException("the function belongs to another store");
        return funcref(f);
    }

    /** The Java value of a raw reference of type {@code t}. */
    Object referenceValue(ValType t, long raw) {
        return t == ValType.EXTERNREF ? externObject(raw) : function(raw);
    }

    /** Checks that {@code raw} is a reference of this store ({@link IllegalArgumentException} otherwise). */
    void checkRaw(ValType t, long raw) {
        if (raw == 0) return;
        if (t == ValType.EXTERNREF) {
            synchronized (this) {
                if (raw < 0 || raw > externObjects.size()) throw new IllegalArgumentException("no externref " + raw + " in this store");
            }
        } else if (!byDescriptor.containsKey(raw)) {
            throw new IllegalArgumentException("0x" + Long.toHexString(raw) + " is not a function reference of this store");
        }
    }

    MemoryInstance newMemory(MemoryType t) {
        if (closed) throw new IllegalStateException("the store is closed");
        MemoryInstance m = new MemoryInstance(t, maxMemoryPages);
        memories.add(m);
        return m;
    }

    TableInstance newTable(dev.kiln.frontend.TableType t, long init) {
        TableInstance table = new TableInstance(t, init, this, maxTableElements);
        tables.add(table);
        return table;
    }

    /** The funcref value (descriptor address) of a function, creating its descriptor on first use. */
    synchronized long funcref(FunctionInstance f) {
        if (f.descriptor != 0) return f.descriptor;
        MemorySegment d = arena.allocate(VmContextLayout.FUNC_DESCRIPTOR_SIZE, 8);
        if (f instanceof WasmFunction wf) {
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_VMCTX, wf.instance.vmctxAddress());
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_CODE, 0);
        } else if (f instanceof HostFunctionInstance h) {
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_VMCTX, hostContext.address());
            d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_CODE, nativeActive ? hostThunk(h) : 0);
        }
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_TYPE_ID, typeId(f.type));
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_HANDLE, handle(f));
        f.descriptor = d.address();
        byDescriptor.put(f.descriptor, f);
        if (f instanceof WasmFunction wf) wf.instance.describe(wf.index, f.descriptor);
        return f.descriptor;
    }

    /**
     * A new instance joins the store. Native code becomes possible in the store when the first
     * instance that needs it arrives: on the native tier, or on the auto tier when its module has
     * cached code. Until then the auto tier costs what the interpreter costs; the first hot
     * function activates native code instead.
     */
    synchronized void register(Instance instance) {
        instances.add(instance);
        if (interruptRequested) instance.setInterruptFlag(true);
        if (nativeActive) {
            instance.activateNative();
        } else if (tier == Tier.NATIVE || tier == Tier.AUTO && instance.module().existingNativeCode(codeOptions()) != null) {
            activateNative();
        }
    }

    boolean nativeActive() {
        return nativeActive;
    }

    /**
     * From now on compiled code may run in this store: every instance gets its native parts
     * (runtime helpers, slots and stubs) and every descriptor made so far gets code to call.
     */
    synchronized void activateNative() {
        if (nativeActive) return;
        nativeActive = true;
        for (Instance i : instances) i.activateNative();
        giveHostFunctionsNativeCode();
    }

    /** Host function descriptors made while only the interpreter ran have no code; native callers need it. */
    private void giveHostFunctionsNativeCode() {
        List<HostFunctionInstance> described = new ArrayList<>();
        for (FunctionInstance f : functionsByHandle) if (f instanceof HostFunctionInstance h && h.descriptor != 0) described.add(h);
        hostThunks(described);
        for (HostFunctionInstance h : described) {
            MemorySegment.NULL.reinterpret(Long.MAX_VALUE).set(ValueLayout.JAVA_LONG, h.descriptor + VmContextLayout.FUNC_CODE, h.nativeThunk);
        }
    }

    /** The handle references and native host calls name {@code f} by (assigned on first use). */
    synchronized int handle(FunctionInstance f) {
        if (f.handle < 0) {
            f.handle = functionsByHandle.size();
            functionsByHandle.add(f);
        }
        return f.handle;
    }

    /**
     * The native code that runs host function {@code h} when compiled code calls it (made on
     * first use): a thunk passing the function's handle to the adapter of its type.
     */
    synchronized long hostThunk(HostFunctionInstance h) {
        hostThunks(List.of(h));
        return h.nativeThunk;
    }

    /** {@link #hostThunk} for several functions, the missing thunks placed together. */
    synchronized void hostThunks(List<HostFunctionInstance> hs) {
        List<HostFunctionInstance> missing = new ArrayList<>();
        for (HostFunctionInstance h : hs) if (h.nativeThunk == 0 && !missing.contains(h)) missing.add(h);
        if (missing.isEmpty()) return;
        int[] handles = new int[missing.size()];
        List<FuncType> types = new ArrayList<>(missing.size());
        for (int k = 0; k < handles.length; k++) {
            handles[k] = handle(missing.get(k));
            types.add(missing.get(k).funcType());
        }
        long[] thunks = NativeCodeMemory.get(backend()).hostThunks(handles, types);
        for (int k = 0; k < thunks.length; k++) missing.get(k).nativeThunk = thunks[k];
    }

    /** The host function native code called: {@code vmctx} is the caller's VMContext or a store's host context. */
    static HostFunctionInstance hostFunctionCalled(long vmctx, int handle) {
        Instance caller = Instance.byContext(vmctx);
        Store store = caller != null ? caller.store() : BY_HOST_CONTEXT.get(vmctx);
        return (HostFunctionInstance) store.functionByHandle(handle);
    }

    FunctionInstance functionByHandle(int handle) {
        return functionsByHandle.get(handle);
    }

    /**
     * The function a raw funcref value names, or null for the null reference.
     *
     * @throws IllegalArgumentException when {@code funcref} is not a function reference of this store
     */
    public FunctionInstance function(long funcref) {
        if (funcref == 0) return null;
        FunctionInstance f = byDescriptor.get(funcref);
        if (f == null) throw new IllegalArgumentException("0x" + Long.toHexString(funcref) + " is not a function reference of this store");
        return f;
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

    /**
     * The host object of a raw externref value, or null.
     *
     * @throws IllegalArgumentException when {@code ref} is not an externref of this store
     */
    public synchronized Object externObject(long ref) {
        if (ref == 0) return null;
        if (ref < 0 || ref > externObjects.size()) throw new IllegalArgumentException("no externref " + ref + " in this store");
        return externObjects.get((int) ref - 1);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Instance i : instances) i.releaseNative(); // before the arena holding their descriptors is freed
        Instance.forget(this);
        instances.clear();
        BY_HOST_CONTEXT.remove(hostContext.address());
        for (MemoryInstance m : memories) m.release();
        for (TableInstance t : tables) t.release();
        arena.close();
    }
}
