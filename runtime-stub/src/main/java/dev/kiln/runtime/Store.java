package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.MemoryType;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.TypeHierarchy;
import dev.kiln.frontend.ValType;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.interpreter.gc.GcHeap;
import dev.kiln.interpreter.gc.GcRefs;
import dev.kiln.interpreter.gc.GcType;
import dev.kiln.interpreter.gc.GcTypeRegistry;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.HostCpu;
import dev.kiln.runtime.internal.StartupPhases;
import dev.kiln.runtime.internal.TypeRegistry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

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
 *
 * <p><b>Threads.</b> A store is used by one thread at a time, as wasmtime's is: calling its
 * functions, instantiating modules in it, growing or changing its tables and memories from Java,
 * setting its fuel and closing it. Any thread may take its turn, one after another (handing a store
 * to another thread, or using it from virtual threads, is fine); a second thread that tries while a
 * call is running gets a {@link StoreInUseException} and nothing happens. Host functions and the
 * guest code they call back run on the calling thread and may use the store freely.
 * {@link #interrupt()} and the getters may be called from any thread at any time. For parallelism,
 * give each thread a store of its own: a {@link WasmModule} (and its compiled code) is shared by any
 * number of stores on any number of threads.
 */
public final class Store implements AutoCloseable {
    /** Stores by the address of their host context, for host functions called from native code. */
    private static final Map<Long, Store> BY_HOST_CONTEXT = new ConcurrentHashMap<>();
    /** All of native memory, for writes to descriptors by address. */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    final Arena arena = Arena.ofShared();
    final TypeRegistry types = new TypeRegistry();
    private final List<FunctionInstance> functionsByHandle = new ArrayList<>();
    /** The Java objects behind externref values, freed by collections that no longer reach them. */
    private final HostObjects hostObjects = new HostObjects();
    /** GC references Java holds: roots of every collection. */
    private final JavaRoots javaRoots = new JavaRoots();
    /** Native entries of the owner still running (native frames on its stack, scanned by {@link #nativeStack}). */
    private int nativeFrames;
    /** Exceptions Wasm code made an exnref of, by handle - 1 ({@link #exnRef}). */
    private final List<ThrownException> exceptions = new ArrayList<>();
    private final List<MemoryInstance> memories = new ArrayList<>();
    private final List<TableInstance> tables = new ArrayList<>();
    private final ExecutionState state = new ExecutionState(arena);
    /** The host-function thunks this store placed, freed when it closes. */
    private final NativeCodeMemory.PlacedCode hostCode = new NativeCodeMemory.PlacedCode();
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
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
    private final Map<Long, FunctionInstance> byDescriptor = new ConcurrentHashMap<>();
    /** No cap of the store's own by default (see {@link #maxMemoryPages(long)}). */
    private long maxMemoryPages = Long.MAX_VALUE;
    private long maxTableElements = TableInstance.MAX_ELEMENTS;
    /** Default cap of the GC heap (native memory; see {@link #maxGcHeapBytes}). */
    public static final long DEFAULT_MAX_GC_HEAP = 1L << 30;
    private long maxGcHeapBytes = DEFAULT_MAX_GC_HEAP;
    /** Run-time types of every struct, array and function type of the store's modules, canonical store-wide. */
    final GcTypeRegistry gcTypes = new GcTypeRegistry();
    /** The GC heap, made when the first module with GC types or instructions is instantiated. */
    private GcHeap gcHeap;
    /** The operands of the GC instruction the GC helper is carrying out for native code (roots), or null. */
    private long[] gcOperands;
    /** Where this store's native frames are on the owner's stack, scanned for GC roots. */
    private final NativeStackRoots nativeStack = new NativeStackRoots();
    private volatile boolean closed;
    /** Bytes of stack one activation of guest code may use (see {@link GuestStack}). */
    private long maxWasmStack = GuestStack.DEFAULT_MAX_WASM_STACK;

    // ---- the thread using the store (see the class comment), and its activation ----
    private static final VarHandle OWNER;
    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Store.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    @SuppressWarnings("unused") // through OWNER
    private volatile Thread owner;
    /** Nested entries of the owner (host functions calling back in); touched only by the owner. */
    private int entries;
    /** The OS thread the activation's budget was measured on, the stack pointer there, and interpreter bytes then. */
    private long activationOsThread;
    private long activationStackPointer;
    private long activationInterpreterBytes;

    /** A store on the interpreter tier, without a cache. */
    public Store() {
        this(Engine.INTERPRETER);
    }

    /** A store running code as {@code engine} says (the same as {@code engine.newStore()}). */
    public Store(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
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
        if (firstInstructionNanos == 0) {
            firstInstructionNanos = System.nanoTime();
            StartupPhases.firstInstruction(System.err);
        }
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

    Backend backend() {
        return cpu == null ? Backends.host() : Backends.forCpu(cpu);
    }

    private CpuFeatures cpu;

    /**
     * Limits the native code of this store to the instruction-set extensions of {@code level}
     * (default: everything this machine's CPU has, {@link CodeTarget#host()}); e.g.
     * {@link CodeTarget#X86_64_V2} to run SSE instead of AVX code. A module's native code is made
     * once per level (stores of one level share it; a store never runs code that uses instructions
     * its level lacks). The level must be one this machine runs.
     *
     * @throws IllegalArgumentException when this machine cannot run code for {@code level}
     */
    public Store cpu(CodeTarget level) {
        return cpu(level.cpu());
    }

    private Store cpu(CpuFeatures level) {
        CpuFeatures host = HostCpu.level();
        if (host == null || !host.includes(level)) {
            throw new IllegalArgumentException("this machine (" + host + ") cannot run code for " + level);
        }
        this.cpu = level;
        return this;
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
        enter();
        try {
            synchronized (this) {
                if (!fuelMetered && !instances.isEmpty()) {
                    throw new IllegalStateException("turn fuel metering on before instantiating modules in this store");
                }
                fuelMetered = true;
            }
            state.setFuel(units);
        } finally {
            exit();
        }
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
    CodeOptions codeOptions() {
        return (fuelMetered ? CodeOptions.FUEL : CodeOptions.DEFAULT).withCompileBudget(engine.codeOptions().compileBudget());
    }

    /**
     * Stops the Wasm code running in this store, from any thread: it traps with "interrupted" at
     * its next function entry or loop iteration, in any tier (within microseconds). A host function
     * that is running meanwhile (a WASI call blocked reading standard input or sleeping in
     * {@code poll_oneoff}, say) is woken with {@link Thread#interrupt()}: WASI's blocking calls then
     * trap with "interrupted" at once, and the embedder's own host functions should return or throw
     * when their thread is interrupted (code blocked where Java cannot interrupt it, such as a plain
     * socket or pipe read, is not woken). When nothing runs, the next call traps. The request ends
     * when the trap reaches the caller; kiln then clears the thread's interrupt status it set.
     */
    public void interrupt() {
        interruptRequested = true;
        for (Instance i : instances) i.setInterruptFlag(true);
        Thread user = owner;
        if (user != null && hostCalls > 0) user.interrupt(); // read after the request is visible: see enterHost
    }

    /** The interrupted trap reached the embedder: later calls run normally. */
    void interruptDelivered() {
        interruptRequested = false;
        for (Instance i : instances) i.setInterruptFlag(false);
        if (owner == Thread.currentThread()) Thread.interrupted(); // the wake-up interrupt() may have sent
    }

    /** True between {@link #interrupt()} and the delivery of its trap. */
    boolean interruptPending() {
        return interruptRequested;
    }

    /** Host calls running on the owner's thread (interrupt() wakes the thread while there are any). */
    private volatile int hostCalls;

    /**
     * A host function starts on the owner's thread. Either {@link #interrupt()} sees the count (and
     * interrupts the thread) or this sees the request (and traps at once): both fields are volatile.
     */
    void enterHost() {
        hostCalls++;
        if (interruptRequested) {
            hostCalls--;
            throw new TrapException(TrapKind.INTERRUPTED);
        }
    }

    void exitHost() {
        hostCalls--;
    }

    /**
     * Bytes of stack guest code may use in one call from Java (host functions and guest code they
     * call back included), like wasmtime's {@code max_wasm_stack}; default 512 KiB. Every tier
     * honours it: native frames use the thread's stack, and interpreter frames count as what the
     * same frames would take natively. Deeper recursion traps with "call stack exhausted". On a
     * thread whose stack has less room left, the thread's stack is the limit (kiln keeps a reserve
     * at its bottom for the JVM), and it also traps, never crashes.
     */
    public Store maxWasmStack(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("max_wasm_stack must be positive: " + bytes);
        enter();
        try {
            this.maxWasmStack = bytes;
        } finally {
            exit();
        }
        return this;
    }

    public long maxWasmStack() {
        return maxWasmStack;
    }

    /**
     * The calling thread starts (or, nested, continues) using the store. Throws
     * {@link StoreInUseException} when another thread is using it, {@link IllegalStateException}
     * when it is closed. Every entry is paired with {@link #exit()}.
     */
    void enter() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            entries++;
            return;
        }
        if (!OWNER.compareAndSet(this, null, me)) {
            Thread other = owner;
            throw new StoreInUseException(other == null ? "another thread" : "thread '" + other.getName() + "'");
        }
        if (closed) {
            OWNER.setRelease(this, null);
            throw new IllegalStateException("the store is closed");
        }
        entries = 1;
        activationOsThread = 0; // measured at the first native entry or interpreter invocation
        activationInterpreterBytes = Interpreter.stackBytesInUse();
    }

    void exit() {
        if (--entries == 0) OWNER.setRelease(this, null);
    }

    /** Runs {@code action} as the store's user (see {@link #enter()}). */
    <T> T using(Supplier<T> action) {
        enter();
        try {
            return action.get();
        } finally {
            exit();
        }
    }

    /**
     * The stack limit native code entered now must check (its prologues compare the stack pointer
     * with it): the activation's budget less what interpreter frames of the activation use, and
     * never below the OS thread's floor. Computed on the thread that enters native code next.
     */
    long nativeStackLimit() {
        return nativeStackLimit(GuestStack.measure());
    }

    private long nativeStackLimit(GuestStack.Measure now) {
        if (now.osThread() != activationOsThread) { // the first entry, or a virtual thread moved to another carrier
            activationOsThread = now.osThread();
            activationStackPointer = now.stackPointer();
        }
        long budgetEnd = activationStackPointer - maxWasmStack;
        long interpreted = Interpreter.stackBytesInUse() - activationInterpreterBytes;
        return Math.max(now.floor(), budgetEnd) + Math.max(0, interpreted);
    }

    /** Bytes of guest stack an interpreter invocation starting now may use (see {@link #nativeStackLimit}). */
    long interpreterStackAvailable() {
        GuestStack.Measure now = GuestStack.measure();
        return now.stackPointer() - nativeStackLimit(now);
    }

    /**
     * Caps every memory's growth (pages of 64 KiB); growth past it fails like any failed memory.grow.
     * By default the store sets no cap, as wasmtime sets none (its {@code -W max-memory-size} is unset by
     * default): a memory grows to its declared maximum, a 32-bit one to at most 4 GiB (its address space),
     * a 64-bit one to at most 8 GiB (kiln's reservation per memory), as far as the system commits pages.
     */
    public Store maxMemoryPages(long pages) {
        this.maxMemoryPages = pages;
        return this;
    }

    /**
     * Caps the GC heap (bytes of native memory for struct and array objects; default 1 GiB): an
     * allocation that does not fit even after a collection traps. Set before instantiating.
     */
    public Store maxGcHeapBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative GC heap cap");
        this.maxGcHeapBytes = bytes;
        return this;
    }

    /** The store's GC heap, made on first use. */
    synchronized GcHeap gcHeap() {
        if (gcHeap == null) {
            gcHeap = new GcHeap(gcTypes, maxGcHeapBytes);
            gcHeap.roots(this::reportGcRoots);
            gcHeap.hostObjects(new GcHeap.HostObjectTracer() {
                @Override
                public void mark(long hostRef) {
                    hostObjects.mark(hostRef);
                }

                @Override
                public void sweep() {
                    hostObjects.sweep(!nativeFramesScanned());
                }
            });
            gcHeap.window(state().address() + ExecutionStateLayout.GC_CURSOR);
        }
        return gcHeap;
    }

    /** The run-time type of the function a non-null funcref names (for ref.test / ref.cast to a function type). */
    GcType functionGcType(long funcref) {
        int index = DefinedFuncrefs.indexOf(funcref);
        if (index >= 0) return definingInstance(funcref).gcTypeOfFunction(index); // no function object for a type check
        return functionGcType(functionAt(funcref));
    }

    /** The run-time type of a function's type (its module's canonical type; a host function's is final, without supertypes). */
    GcType functionGcType(FunctionInstance f) {
        if (f instanceof WasmFunction w) return w.instance.gcTypeOfFunction(w.index);
        return gcTypes.funcTypeOfKey(f.typeKey());
    }

    /**
     * What a reference of the any or extern hierarchy is: "null", "i31", "struct", "array", "host"
     * (a host object), or "other" (a function or exception reference).
     */
    public synchronized String referenceKind(long ref) {
        if (ref == 0) return "null";
        if (GcRefs.isI31(ref)) return "i31";
        if (GcRefs.isHost(ref)) return "host";
        if (gcHeap != null && gcHeap.isObject(ref)) return gcHeap.typeOf(ref).kind == GcType.Kind.STRUCT ? "struct" : "array";
        return "other";
    }

    /** Why {@code v} cannot be a value of reference type {@code t} (type indices of {@code types}' module) from Java, or null. */
    String badGcReference(GcType[] types, ValType t, long v) {
        HeapType h = t.heapType();
        if (v == 0) return t.nullable() ? null : "null for a non-nullable reference";
        boolean object = GcRefs.isObject(v) && gcHeap().isObject(v);
        if (h.isConcrete()) {
            GcType target = types[h.typeIndex()];
            if (target.kind == GcType.Kind.FUNC) return null;
            return object && gcHeap().typeOf(v).isSubtypeOf(target) ? null : "not an object of type " + t;
        }
        boolean i31 = GcRefs.isI31(v);
        boolean ok = switch (h.kind()) {
            case ANY -> i31 || object || GcRefs.isHost(v);
            case EQ -> i31 || object;
            case I31 -> i31;
            case STRUCT, ARRAY -> object && (gcHeap().typeOf(v).kind == GcType.Kind.STRUCT) == (h.kind() == HeapType.Kind.STRUCT);
            case NONE -> false;
            // an extern may become an anyref (any.convert_extern): refuse only words that would pass for an object's address
            case EXTERN -> object || !GcRefs.isObject(v);
            default -> true; // functions, exceptions: as before GC
        };
        return ok ? null : "not a reference of type " + t + " in this store";
    }

    /**
     * How long each collection of this store's GC heap took (nanoseconds; the last 65 536, oldest
     * first): the pauses guest code saw. Empty before any GC module.
     */
    public synchronized long[] gcPauseNanos() {
        return gcHeap == null ? new long[0] : gcHeap.pauseNanos();
    }

    /**
     * GC statistics: collections so far, bytes of native memory the heap holds, and objects native
     * code allocated inline without calling the runtime (all 0 before any GC module).
     */
    public synchronized long[] gcStats() {
        return gcHeap == null ? new long[3] : new long[] {gcHeap.collections(), gcHeap.committedBytes(), gcHeap.objectsAllocatedInline()};
    }

    /**
     * Every word that may reference a GC object: globals, tables, element segments, exception
     * payloads, and the current thread's interpreter frames (where guest code of this store runs).
     */
    private void reportGcRoots(LongConsumer root) {
        for (Instance i : instances) i.reportGcRoots(root);
        for (TableInstance t : tables) {
            long n = t.size();
            for (long k = 0; k < n; k++) root.accept(t.get(k));
        }
        synchronized (this) {
            for (ThrownException e : exceptions) for (long v : e.payload) root.accept(v);
        }
        long[] operands = gcOperands;
        if (operands != null) for (long w : operands) root.accept(w);
        if (nativeFrames > 0 && nativeFramesScanned()) nativeStack.report(state, GuestStack.stackPointer(), root); // GC objects and host handles
        javaRoots.report(root);
        Interpreter.reportStackRoots(root);
    }

    // ---- GC references held by Java ----

    /**
     * Opens a scope for the GC references that reach Java (call results, host objects made with
     * {@link #externRef}): they are released when it closes. Without a scope they stay alive until
     * the store closes, so a loop that calls functions returning new GC objects should open one.
     */
    public GcScope gcScope() {
        return new GcScope(this, javaRoots.open());
    }

    /**
     * A handle that keeps GC reference {@code raw} (an object, i31 or host object of this store)
     * alive until it is closed or the JVM collects it.
     *
     * @throws IllegalArgumentException when {@code raw} is no such reference of this store
     */
    public GcRef gcRef(long raw) {
        if (raw == 0 || !(GcRefs.isI31(raw) || GcRefs.isHost(raw) && hostObjects.get(raw) != null || isGcValue(raw))) {
            throw new IllegalArgumentException("0x" + Long.toHexString(raw) + " is not a GC reference of this store");
        }
        return javaRoots.handle(this, raw);
    }

    /**
     * Runs a garbage collection now (as wasmtime's {@code Store::gc}), on the calling thread,
     * which must be free to use the store (also inside a host function called from native code:
     * native frames are scanned conservatively).
     *
     * @throws StoreInUseException when another thread is using the store
     */
    public void gc() {
        using(() -> {
            gcHeap().collectIfAllowed();
            return null;
        });
    }

    JavaRoots javaRoots() {
        return javaRoots;
    }

    /** Roots the references among raw values of {@code types} that reach Java (results of a call, a host function's arguments; see {@link #gcScope}). */
    void rootReferences(ValType[] types, long[] results) {
        int k = 0;
        for (ValType t : types) {
            if (t.isReference()) javaRoots.root(results[k]);
            k += RawValues.slots(t);
        }
    }

    /**
     * Native code of this store starts running on the owner's stack (the caller is about to enter
     * it; its stack pointer ends the enclosing native frames' segment, see {@link NativeStackRoots}).
     */
    void nativeEntering() {
        nativeStack.entering(state, nativeFrames > 0 ? GuestStack.stackPointer() : 0);
        nativeFrames++;
    }

    /** Sets the operands of the GC instruction the GC helper carries out now (roots until reset); returns the previous ones. */
    long[] gcOperands(long[] operands) {
        long[] previous = gcOperands;
        gcOperands = operands;
        return previous;
    }

    /** The innermost native entry of this store returned or trapped. */
    void nativeLeft() {
        nativeFrames--;
        nativeStack.left();
    }

    /**
     * Whether a collection now sees every native frame of this store: there is none, or this is the
     * owner's thread, whose native frames {@link #reportGcRoots} scans. Only then may host objects no
     * root reached be dropped (else their handles may sit in unscanned native frames).
     */
    private boolean nativeFramesScanned() {
        return nativeFrames == 0 || owner == Thread.currentThread();
    }

    /** Host objects alive now and words Java holds rooted, for tests. */
    long[] rootStats() {
        return new long[] {hostObjects.size(), javaRoots.size()};
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
        return using(() -> Instance.create(this, module, imports));
    }

    /** Instantiates a module that imports nothing. */
    public Instance instantiate(WasmModule module) {
        return instantiate(module, new Imports());
    }

    /** Binds a host function to this store so modules can import it (the same definition gives the same function). */
    public synchronized HostFunctionInstance hostFunction(HostFunction f) {
        return boundHostFunctions.computeIfAbsent(f, d -> new HostFunctionInstance(this, d));
    }

    /** The store-wide id of a function type without type indices (a host function's). */
    int typeId(FuncType t) {
        return types.idOf(TypeHierarchy.keyOf(t));
    }

    /** The store-wide id of a function type by its canonical key (equal for equivalent types of any module). */
    int typeIdOfKey(String canonicalKey) {
        return types.idOf(canonicalKey);
    }

    /** The store-wide id of a function's type. */
    int typeId(FunctionInstance f) {
        return types.idOf(f.typeKey());
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
    public TableInstance newTable(TableType type, Object init) {
        return newTable(type.tableType(), referenceRaw(type.elementType().valType(), init));
    }

    /** A new global of {@code type} holding {@code value} (see {@link GlobalInstance#value()} for the Java types). */
    public GlobalInstance newGlobal(GlobalType type, Object value) {
        GlobalInstance g = new GlobalInstance(this, type.globalType(), new long[2]);
        g.initialize(value);
        return g;
    }

    // ---- references between Java and Wasm ----

    /** The raw value of a reference of type {@code t}: a function of this store or null (funcref), any object (externref). */
    long referenceRaw(ValType t, Object value) {
        if (value == null) return 0;
        if (isExtern(t)) return externRef(value);
        if (!(value instanceof FunctionInstance f)) {
            throw new IllegalArgumentException("a " + t + " must be a FunctionInstance or null, not a " + value.getClass().getSimpleName());
        }
        if (f.store != this) throw new IllegalArgumentException("the function belongs to another store");
        return funcref(f);
    }

    /** The Java value of a raw reference of type {@code t}. */
    Object referenceValue(ValType t, long raw) {
        return isExtern(t) ? externObject(raw) : function(raw);
    }

    /** Checks that {@code raw} is a reference of this store ({@link IllegalArgumentException} otherwise). */
    void checkRaw(ValType t, long raw) {
        if (raw == 0) return;
        if (isExtern(t)) {
            // a host object of this store, or a GC value made external
            boolean ok = GcRefs.isHost(raw) ? hostObjects.get(raw) != null : GcRefs.isI31(raw) || isGcValue(raw);
            if (!ok) throw new IllegalArgumentException("no externref 0x" + Long.toHexString(raw) + " in this store");
        } else if (isAnyHierarchy(t) || t.heapType().isConcrete() && !isFuncref(raw) && isGcValue(raw)) {
            return; // GC references: WasmFunction.checkArguments checks them against the parameter's type
        } else if (!isFuncref(raw)) {
            throw new IllegalArgumentException("0x" + Long.toHexString(raw) + " is not a function reference of this store");
        }
    }

    private static boolean isAnyHierarchy(ValType t) {
        return switch (t.heapType().kind()) {
            case ANY, EQ, I31, STRUCT, ARRAY, NONE -> true;
            default -> false;
        };
    }

    private synchronized boolean isGcValue(long raw) {
        return GcRefs.isI31(raw) || gcHeap != null && gcHeap.isObject(raw);
    }

    /** True for the references host code sees as objects of its own (externref and its subtypes). */
    private static boolean isExtern(ValType t) {
        HeapType.Kind k = t.heapType().kind();
        return k == HeapType.Kind.EXTERN || k == HeapType.Kind.NOEXTERN;
    }

    MemoryInstance newMemory(MemoryType t) {
        if (closed) throw new IllegalStateException("the store is closed");
        MemoryInstance m = new MemoryInstance(this, t, maxMemoryPages);
        memories.add(m);
        return m;
    }

    TableInstance newTable(dev.kiln.frontend.TableType t, long init) {
        TableInstance table = new TableInstance(t, init, this, maxTableElements);
        tables.add(table);
        return table;
    }

    /** Descriptors are cut from slabs of this many (a module of 34 000 functions makes one per function). */
    private static final int DESCRIPTORS_PER_SLAB = 256;
    private MemorySegment descriptorSlab;
    private int descriptorsLeft;

    /** A zeroed funcref descriptor in the store's memory, from the current slab. */
    synchronized MemorySegment newDescriptor() {
        long address = newDescriptorAddress();
        return descriptorSlab.asSlice(address - descriptorSlab.address(), VmContextLayout.FUNC_DESCRIPTOR_SIZE);
    }

    /** The address of a new zeroed descriptor ({@link #newDescriptor}), without a segment object for it. */
    private synchronized long newDescriptorAddress() {
        if (descriptorsLeft == 0) {
            descriptorSlab = arena.allocate((long) VmContextLayout.FUNC_DESCRIPTOR_SIZE * DESCRIPTORS_PER_SLAB, 16);
            descriptorsLeft = DESCRIPTORS_PER_SLAB;
        }
        return descriptorSlab.address() + (long) VmContextLayout.FUNC_DESCRIPTOR_SIZE * (DESCRIPTORS_PER_SLAB - descriptorsLeft--);
    }

    /**
     * Chunks of defined functions' descriptors ({@link DefinedFuncrefs}) by address, so a raw funcref
     * from Java is recognised, and its function found, without a map entry per descriptor.
     */
    private final NavigableMap<Long, DescriptorChunk> descriptorChunks = new ConcurrentSkipListMap<>();

    /** A chunk of {@code instance}'s defined-function descriptors, the first for function {@code firstIndex}. */
    private record DescriptorChunk(Instance instance, int firstIndex) {
    }

    /** A zeroed chunk of {@code bytes} for {@code instance}'s descriptors of functions from {@code firstIndex} on. */
    MemorySegment newDescriptorChunk(long bytes, Instance instance, int firstIndex) {
        MemorySegment chunk = arena.allocate(bytes, 16);
        descriptorChunks.put(chunk.address(), new DescriptorChunk(instance, firstIndex));
        return chunk;
    }

    /**
     * The function of a defined function's descriptor at {@code raw} (made now if it had no object),
     * or null when {@code raw} is no filled descriptor of a chunk: an untrusted word is checked
     * against the chunks' bounds before it is read.
     */
    private FunctionInstance definedFunctionAt(long raw) {
        Map.Entry<Long, DescriptorChunk> e = descriptorChunks.floorEntry(raw);
        if (e == null) return null;
        long offset = raw - e.getKey();
        if (offset >= DefinedFuncrefs.chunkBytes() || offset % VmContextLayout.FUNC_DESCRIPTOR_SIZE != 0 || !DefinedFuncrefs.isFilled(raw)) {
            return null;
        }
        return e.getValue().instance().function(e.getValue().firstIndex() + (int) (offset / VmContextLayout.FUNC_DESCRIPTOR_SIZE));
    }

    /**
     * The function of a descriptor native or interpreted code holds (trusted: made by this store): by
     * its store handle, or, for a defined function's descriptor, by its instance and index.
     */
    FunctionInstance functionAt(long descriptor) {
        int handle = NATIVE.get(ValueLayout.JAVA_INT, descriptor + VmContextLayout.FUNC_HANDLE);
        if (handle >= 0) return functionByHandle(handle);
        return definingInstance(descriptor).function(-1 - handle);
    }

    /** The instance a defined function's (trusted) descriptor belongs to. */
    private static Instance definingInstance(long descriptor) {
        return Instance.byContext(NATIVE.get(ValueLayout.JAVA_LONG, descriptor + VmContextLayout.FUNC_VMCTX));
    }

    /** True when {@code raw} is a funcref this store gave out. */
    private boolean isFuncref(long raw) {
        return byDescriptor.containsKey(raw) || definedFunctionAt(raw) != null;
    }

    /** The funcref value (descriptor address) of a function, creating its descriptor on first use. */
    long funcref(FunctionInstance f) {
        if (f.descriptor != 0) return f.descriptor;
        if (f instanceof WasmFunction wf) {
            f.descriptor = wf.instance.funcref(wf.index);
            return f.descriptor;
        }
        return hostFuncref(f);
    }

    private synchronized long hostFuncref(FunctionInstance f) {
        if (f.descriptor != 0) return f.descriptor;
        // written by address: a table of 10 000 functions makes 10 000 descriptors at instantiation, before the JIT
        long d = newDescriptorAddress();
        HostFunctionInstance h = (HostFunctionInstance) f;
        NATIVE.set(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_VMCTX, hostContext.address());
        NATIVE.set(ValueLayout.JAVA_LONG, d + VmContextLayout.FUNC_CODE, nativeActive ? hostThunk(h) : 0);
        NATIVE.set(ValueLayout.JAVA_INT, d + VmContextLayout.FUNC_TYPE_ID, typeId(f));
        NATIVE.set(ValueLayout.JAVA_INT, d + VmContextLayout.FUNC_HANDLE, handle(f));
        f.descriptor = d;
        byDescriptor.put(f.descriptor, f);
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
        try {
            if (nativeActive) {
                instance.activateNative();
            } else if (tier == Tier.NATIVE || tier == Tier.AUTO && instance.module().existingNativeCode(backend().cpu(), codeOptions()) != null) {
                activateNative();
            }
        } catch (CodeSpaceFullException full) {
            if (tier == Tier.NATIVE) { // the instance is not made: its instantiation fails with this
                instances.remove(instance);
                Instance.forget(instance);
                throw full;
            }
            stayInterpreted();
        }
    }

    /**
     * The code space is full: the auto tier runs everything of this store in the interpreter from now
     * on (no instance keeps native parts that native callers could reach half made).
     */
    private void stayInterpreted() {
        nativeActive = false;
        nativeUnavailable = true;
        for (Instance i : instances) i.deactivateNative();
    }

    /** True once the code space was found full: this store no longer tries to run native code. */
    private volatile boolean nativeUnavailable;

    boolean nativeActive() {
        return nativeActive;
    }

    /**
     * From now on compiled code may run in this store: every instance gets its native parts
     * (runtime helpers, slots and stubs) and every descriptor made so far gets code to call.
     */
    synchronized void activateNative() {
        if (nativeActive || nativeUnavailable || closed) return;
        nativeActive = true;
        try {
            for (Instance i : instances) i.activateNative();
            giveHostFunctionsNativeCode();
        } catch (CodeSpaceFullException full) {
            if (tier == Tier.NATIVE) {
                nativeActive = false;
                for (Instance i : instances) i.deactivateNative();
                throw full;
            }
            stayInterpreted();
        }
    }

    /** Host function descriptors made while only the interpreter ran have no code; native callers need it. */
    private void giveHostFunctionsNativeCode() {
        List<HostFunctionInstance> described = new ArrayList<>();
        for (FunctionInstance f : functionsByHandle) if (f instanceof HostFunctionInstance h && h.descriptor != 0) described.add(h);
        hostThunks(described);
        for (HostFunctionInstance h : described) {
            NATIVE.set(ValueLayout.JAVA_LONG, h.descriptor + VmContextLayout.FUNC_CODE, h.nativeThunk);
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
        long[] thunks = NativeCodeMemory.get(backend()).hostThunks(handles, types, hostCode);
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
        if (f == null) f = definedFunctionAt(funcref);
        if (f == null) throw new IllegalArgumentException("0x" + Long.toHexString(funcref) + " is not a function reference of this store");
        return f;
    }

    /**
     * The externref value for a host object (the same object gives the same value while the value
     * lives); null gives 0; a {@link GcRef} of this store gives its reference back. The value is
     * rooted like a call's result ({@link #gcScope}): once nothing (Wasm, Java) holds it, a
     * collection may free it, and the next externref of the object is a new value.
     */
    public long externRef(Object o) {
        if (o == null) return 0;
        if (o instanceof GcRef r && r.store() == this) {
            javaRoots.root(r.raw());
            return r.raw();
        }
        if (hostObjects.collectionDue()) collectHostObjects();
        long ref = hostObjects.ref(o);
        javaRoots.root(ref);
        return ref;
    }

    /** A collection to free host objects, when it is safe here: on the owner's thread (or none's), no native frames. */
    private void collectHostObjects() {
        Thread me = Thread.currentThread();
        boolean mine = owner == me;
        if (!mine && !OWNER.compareAndSet(this, null, me)) return;
        try {
            if (!closed && nativeFrames == 0) gcHeap().collectIfAllowed();
        } finally {
            if (!mine) OWNER.setRelease(this, null);
        }
    }

    /** A new exception tag with payload types {@code params}, for host functions that throw into the guest or to define as an import. */
    public TagInstance newTag(ValueType<?>... params) {
        FuncType t = TagType.of(params).funcType();
        return new TagInstance(this, t, typeId(t));
    }

    /**
     * The exnref value of exception {@code e}: a handle into this store's table of exceptions that
     * Wasm code held a reference to (the same handle each time for the same exception). Such
     * exceptions are kept until the store closes.
     */
    synchronized long exnRef(ThrownException e) {
        if (e.ref == 0) {
            exceptions.add(e);
            e.ref = exceptions.size();
        }
        return e.ref;
    }

    /** The exception an exnref value names ({@code ref} not 0). */
    synchronized ThrownException exception(long ref) {
        return exceptions.get((int) ref - 1);
    }

    /**
     * The host object of a raw externref value, or null.
     *
     * @throws IllegalArgumentException when {@code ref} is not an externref of this store
     */
    public Object externObject(long ref) {
        if (ref == 0) return null;
        if (!GcRefs.isHost(ref)) {
            // a GC value made external (extern.convert_any): a handle on it, which externRef turns back into the value
            if (GcRefs.isI31(ref) || isGcValue(ref)) return javaRoots.handle(this, ref);
            throw new IllegalArgumentException("no externref 0x" + Long.toHexString(ref) + " in this store");
        }
        Object o = hostObjects.get(ref);
        if (o == null) throw new IllegalArgumentException("no externref 0x" + Long.toHexString(ref) + " in this store (or it was collected)");
        return o;
    }

    /**
     * Releases the store's native memory; its instances cannot be used afterwards. Throws
     * {@link StoreInUseException} when another thread is using the store, and
     * {@link IllegalStateException} when called from inside a call into it (a host function).
     */
    @Override
    public void close() {
        Thread me = Thread.currentThread();
        if (owner == me) throw new IllegalStateException("cannot close a store from inside a call into it");
        if (!OWNER.compareAndSet(this, null, me)) {
            Thread other = owner;
            throw new StoreInUseException(other == null ? "another thread" : "thread '" + other.getName() + "'");
        }
        try {
            release();
        } finally {
            OWNER.setRelease(this, null);
        }
    }

    private synchronized void release() {
        if (closed) return;
        closed = true;
        for (Instance i : instances) i.releaseNative(); // before the arena holding their descriptors is freed
        Instance.forget(this);
        instances.clear();
        BY_HOST_CONTEXT.remove(hostContext.address());
        for (MemoryInstance m : memories) m.release();
        for (TableInstance t : tables) t.release();
        if (gcHeap != null) gcHeap.close();
        arena.close();
        if (Backends.host() != null && nativeActive) NativeCodeMemory.get(backend()).release(hostCode);
        // drop what could keep modules reachable: their code is freed once nothing refers to them
        memories.clear();
        tables.clear();
        functionsByHandle.clear();
        descriptorChunks.clear();
        hostObjects.clear();
        javaRoots.clear();
    }
}
