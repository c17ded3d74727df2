package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CompileBudget;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.LinkedObjectWriter;
import dev.kiln.linker.MappedObject;
import dev.kiln.linker.PlacedFunction;
import dev.kiln.linker.SymbolResolver;
import dev.kiln.runtime.internal.NativeCompiler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The native side of one module in this process, shared by all its instances (compiled code
 * reaches instance state only through the VMContext it is passed). Each defined function has a
 * slot, a native word holding where its callers should go: its interpreter thunk until the
 * function is bound, then its native code. Native code calls a function through the function's
 * stub ({@code jmp [slot]}) unless the function was already bound when the caller was placed
 * (or is placed with it), in which case the call goes straight to it; funcref descriptors point
 * at the stub until the function is bound and at its code from then on.
 *
 * <p>Binding places a function's machine code: cached code on its first call (lazy binding),
 * code compiled when the function became hot (promotion), or every function at once (the native
 * tier). Binding patches the slot, so callers switch tiers without being recompiled.
 */
final class NativeModule {
    private final WasmModule module;
    private final Module m;
    private final Backend backend;
    private final CodeOptions options;
    private final NativeCodeMemory natives;
    private final SymbolNames names;
    /** Each function's machine code once there is some (read without the lock: the interpreter asks on calls). */
    private final AtomicReferenceArray<MachineCode> code;
    /** Code compiled by this process that the cache does not have (written back under {@code auto}). */
    private final boolean[] compiledHere;
    /** Code that came from a cache or a precompiled object (binding it counts as bound from the cache). */
    private final boolean[] fromCache;
    private final AtomicLongArray address;
    /** Loops (function index in the high half, OSR index in the low) whose continuation was declined once. */
    private final Set<Long> osrDeclined = new HashSet<>();
    private final MemorySegment slots;
    private final long[] stubs;
    /** Slots and stubs exist per chunk of this many functions, made when first needed. */
    private static final int CHUNK = 1024;
    /** All of native memory, for writes to descriptors by address (one segment, not one per write). */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private final boolean[] chunkReady;
    /** The cached object whose text is mapped (null when code comes from elsewhere), and where its text is. */
    private volatile MappedObject mapped;
    private long textBase;
    /**
     * Functions whose cached metadata was found damaged when they were about to bind: they never run
     * from the mapped object, but from code compiled here (the native tier, tier-up) or in the interpreter.
     */
    private boolean[] damagedInCache;
    /** The first damage found in the mapped object (reported once; the object is then never written back). */
    private final AtomicReference<DamagedObjectException> damage = new AtomicReference<>();
    /** Told of the first damage found in the mapped object (removes the entry and warns). */
    private Consumer<DamagedObjectException> onDamage = e -> { };
    /** Everything this module placed: freed when the module is unreachable (see {@link WasmModule}). */
    final NativeCodeMemory.PlacedCode placed = new NativeCodeMemory.PlacedCode();
    /**
     * Funcref descriptors of each defined function, in every live store: binding points them at its
     * code. They live in their store's native memory, so a store's entries go when it closes
     * ({@link #release}); a binding after that (a promotion finishing on the compiler thread, lazy
     * binding from another store) must not write into freed memory.
     */
    private final List<List<Descriptor>> descriptors;
    final TierStats stats = new TierStats();

    private NativeModule(WasmModule module, Backend backend, CodeOptions options) {
        this.module = module;
        this.m = module.validated().module();
        this.backend = backend;
        this.options = options;
        this.natives = NativeCodeMemory.get(backend);
        this.names = SymbolNames.of(m);
        int n = m.functionCount();
        this.code = new AtomicReferenceArray<>(n);
        this.compiledHere = new boolean[n];
        this.fromCache = new boolean[n];
        this.address = new AtomicLongArray(n);
        this.slots = Arena.ofAuto().allocate(8L * Math.max(1, n), 8);
        this.stubs = new long[n];
        this.chunkReady = new boolean[(n + CHUNK - 1) / CHUNK];
        this.descriptors = new ArrayList<>(Collections.nCopies(n, null));
    }

    static NativeModule create(WasmModule module, Backend backend, CodeOptions options) {
        return new NativeModule(module, backend, options);
    }

    /** Frees this module's code: for the cleaner, once the module is unreachable (it must not refer to the module). */
    Runnable releaser() {
        NativeCodeMemory n = natives;
        NativeCodeMemory.PlacedCode code = placed;
        return () -> n.release(code);
    }

    CodeOptions options() {
        return options;
    }

    /**
     * The call stubs of the chunk holding {@code f}, placed as one piece of code, and its slots: each
     * slot holds the function's code when it is bound, else the interpreter entry of its type. Made
     * on first need (a module running from a mapped object may never need any).
     */
    private synchronized void ensureChunk(int f) {
        int c = f / CHUNK;
        if (chunkReady[c]) return;
        int first = Math.max(m.importedFunctionCount(), c * CHUNK);
        int end = Math.min(m.functionCount(), (c + 1) * CHUNK);
        if (first < end) {
            initSlots(first, end);
            List<PlacedFunction> stubCode = natives.placeStubs(List.of(backend.callStubs(first, end - first, slots.address())));
            placed.placed(stubCode, false);
            long base = stubCode.get(0).address();
            for (int k = first; k < end; k++) stubs[k] = base + (long) backend.callStubStride() * (k - first);
        }
        chunkReady[c] = true;
    }

    /** Slots {@code [first, end)}: bound code, or the interpreter entry of the function's type. */
    private void initSlots(int first, int end) {
        Set<FuncType> types = new HashSet<>();
        for (int f = first; f < end; f++) if (address.get(f) == 0) types.add(m.functionType(f));
        Map<FuncType, Long> entries = types.isEmpty() ? Map.of() : natives.interpreterEntries(types);
        for (int f = first; f < end; f++) {
            long a = address.get(f);
            slots.setAtIndex(ValueLayout.JAVA_LONG, f, a != 0 ? a : entries.get(m.functionType(f)));
        }
    }

    /** The module's slot array (the VMContext's {@code SLOTS}). */
    long slotsAddress() {
        return slots.address();
    }

    /**
     * Runs the functions of a cached object in the mapped format from its text, mapped from the file:
     * each function is bound (its slot and descriptors pointed at its code) when first needed, at the
     * cost of a few stores. The object's stubs for functions it lacks jump through their slots, so those
     * slots are set up now.
     */
    synchronized void useMapped(MappedObject object, boolean lazyCheck, Consumer<DamagedObjectException> onDamage) {
        if (mapped != null) return;
        textBase = natives.mapText(object, m::functionDisplayName, lazyCheck, placed);
        damagedInCache = new boolean[m.functionCount()];
        this.onDamage = onDamage;
        mapped = object;
        int defined = m.functionCount() - m.importedFunctionCount();
        if (object.compiledCount() < defined) {
            for (int c = 0; c < chunkReady.length; c++) {
                int first = Math.max(m.importedFunctionCount(), c * CHUNK);
                int end = Math.min(m.functionCount(), (c + 1) * CHUNK);
                if (first < end) initSlots(first, end);
            }
        }
    }

    /** The mapped object the module runs from, or null. */
    MappedObject mapped() {
        return mapped;
    }

    Backend backend() {
        return backend;
    }

    /** Makes cached code available (it is placed when each function is first called). */
    synchronized void provide(List<MachineCode> cached) {
        for (MachineCode c : cached) {
            if (code.get(c.funcIndex()) == null) {
                code.set(c.funcIndex(), c);
                fromCache[c.funcIndex()] = true;
            }
        }
    }

    /** The machine code of {@code f} compiled here or provided, or null (for tests). */
    MachineCode machineCode(int f) {
        return code.get(f);
    }

    /**
     * Makes code this process just compiled available (the native tier on a cache miss, which compiled
     * every function in {@code nanos}): binding it counts as compiled, not as bound from the cache.
     */
    synchronized void provideCompiled(List<MachineCode> compiled, long nanos) {
        int n = 0;
        for (MachineCode c : compiled) {
            if (code.get(c.funcIndex()) == null) {
                code.set(c.funcIndex(), c);
                n++;
            }
        }
        stats.compiledCount.addAndGet(n);
        stats.compileNanos.addAndGet(nanos);
    }

    /** True when the function has machine code, placed or not. Takes no lock (the interpreter asks it on calls). */
    boolean hasCode(int f) {
        return code.get(f) != null || hasMappedCode(f);
    }

    /**
     * True when the mapped object has code for {@code f} whose metadata was not found damaged. Reading its
     * row checks the row's metadata block: a damaged one makes {@code f} a function without cached code.
     */
    private boolean hasMappedCode(int f) {
        MappedObject o = mapped;
        if (o == null || damagedInCache[f]) return false;
        try {
            return o.hasCode(f);
        } catch (DamagedObjectException e) {
            damaged(f, e);
            return false;
        }
    }

    /**
     * {@code f}'s cached metadata is damaged: it never runs from the mapped object (it is compiled from the
     * module's Wasm, or interpreted, as a function without cached code); the first damage is reported (the
     * entry removed), and nothing of this object is written back to the cache.
     */
    private void damaged(int f, DamagedObjectException e) {
        damagedInCache[f] = true;
        if (damage.compareAndSet(null, e)) onDamage.accept(e);
    }

    /** The address native callers and funcref descriptors use for {@code f}: its stub (valid in every tier state). */
    long stub(int f) {
        ensureChunk(f);
        return stubs[f];
    }

    /** The function's native entry, or 0 when it is not bound. */
    long address(int f) {
        return address.get(f);
    }

    /** The runtime routines compiled code refers to by name (the trap routine, the instance-return stub). */
    private OptionalLong symbolAddress(String symbol) {
        return natives.runtimeSymbol(symbol);
    }

    /**
     * Resolves the symbols placed code refers to: a function of this module to its code when it is
     * bound, else to its stub; the runtime routines by name. Constant time per symbol (binding one
     * function must not cost in proportion to the module).
     */
    private SymbolResolver resolver() {
        return symbol -> {
            int f = names.indexOf(symbol);
            if (f < 0) return symbolAddress(symbol);
            long a = address.get(f);
            if (a == 0 && hasMappedCode(f)) a = place(f); // 0 when its metadata is damaged: through its stub
            return OptionalLong.of(a != 0 ? a : stub(f));
        };
    }

    /**
     * Binds {@code f}, compiling it first when no code is available; returns its entry. The compile
     * runs outside this module's lock, so other threads (the interpreter asking {@link #hasCode}, other
     * compilers, lazy binding) are never held up by it; only placing the code is under the lock.
     */
    long bind(int f) {
        long a = address.get(f);
        if (a != 0) return a;
        if (!hasCode(f)) compileHere(f);
        a = place(f);
        if (a != 0) return a;
        compileHere(f); // its cached metadata turned out damaged: compiled from the module's Wasm instead
        return place(f);
    }

    /**
     * Binds {@code f} when it has code (cached, or compiled here); else, or when its cached metadata turns
     * out damaged, returns 0 and {@code f} keeps running in the interpreter (the auto tier).
     */
    long bindIfCompiled(int f) {
        long a = address.get(f);
        if (a != 0 || !hasCode(f)) return a;
        return place(f);
    }

    private void compileHere(int f) {
        MachineCode c = compile(f);
        synchronized (this) {
            if (code.get(f) == null) {
                code.set(f, c);
                compiledHere[f] = true;
            }
        }
    }

    /**
     * Places {@code f}'s code unless another thread did, and publishes it; returns 0 when {@code f} has no
     * code: none at all, or mapped code whose metadata is found damaged now (it never binds or runs).
     */
    private synchronized long place(int f) {
        long a = address.get(f);
        if (a != 0) return a;
        MachineCode c = code.get(f);
        if (c == null && hasMappedCode(f)) {
            try {
                mapped.checkFunction(f); // its metadata, before it can run: a damaged function is never bound
                a = textBase + mapped.textOffset(f);
            } catch (DamagedObjectException e) {
                damaged(f, e);
                return 0;
            }
            stats.boundFromCache.incrementAndGet();
            publish(f, a);
            return a;
        }
        if (c == null) return 0;
        List<PlacedFunction> batch = natives.place(List.of(c), resolver(), m::functionDisplayName);
        placed.placed(batch, true);
        PlacedFunction p = batch.get(0);
        if (fromCache[f]) stats.boundFromCache.incrementAndGet();
        publish(f, p.address());
        return p.address();
    }

    /** Binds every defined function at once (the native tier). */
    synchronized void bindAll() {
        // a mapped object with every function binds each one when first needed, at no cost now
        if (mapped != null && mapped.compiledCount() == m.functionCount() - m.importedFunctionCount()) return;
        List<MachineCode> todo = new ArrayList<>();
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            if (address.get(f) != 0 || hasMappedCode(f)) continue;
            if (code.get(f) == null) {
                code.set(f, compile(f));
                compiledHere[f] = true;
            }
            todo.add(code.get(f));
        }
        if (todo.isEmpty()) return;
        List<PlacedFunction> batch = natives.place(todo, resolver(), m::functionDisplayName);
        placed.placed(batch, true);
        for (PlacedFunction p : batch) {
            if (fromCache[p.funcIndex()]) stats.boundFromCache.incrementAndGet();
            publish(p.funcIndex(), p.address());
        }
    }

    private MachineCode compile(int f) {
        long start = System.nanoTime();
        CompileBudget.check(module.validated(), f, options);
        MachineCode c = backend.compile(module.validated(), names, f, options, false);
        stats.compiled(System.nanoTime() - start);
        return c;
    }

    private void publish(int f, long entry) {
        address.set(f, entry);
        slots.setAtIndex(ValueLayout.JAVA_LONG, f, entry);
        List<Descriptor> ds = descriptors.get(f);
        if (ds != null) for (Descriptor d : ds) setDescriptorCode(d.address(), entry);
        module.stopInterpreting(f);
    }

    /**
     * Defined function {@code f} has a funcref descriptor at {@code descriptor} (of some instance):
     * calls through it (call_indirect, imports) go to {@code f}'s code when it is bound, and through
     * its stub until then; binding re-points it, so bound callees are reached without the stub.
     */
    synchronized void describe(int f, long descriptor, Store owner) {
        if (address.get(f) == 0 && hasMappedCode(f)) {
            // mapped code is callable where it lies (its block is checked when first executed), and binding
            // will not move it: the descriptor points at it for good, and the function stays unbound until
            // its first call from Java
            setDescriptorCode(descriptor, textBase + mapped.textOffset(f));
            return;
        }
        if (descriptors.get(f) == null) descriptors.set(f, new ArrayList<>(1));
        descriptors.get(f).add(new Descriptor(descriptor, owner));
        long a = address.get(f);
        setDescriptorCode(descriptor, a != 0 ? a : stub(f));
    }

    /** {@code owner} is closing: forget its descriptors (its native memory is about to be freed). */
    synchronized void release(Store owner) {
        for (List<Descriptor> ds : descriptors) if (ds != null) ds.removeIf(d -> d.owner() == owner);
    }

    /** How many descriptors of {@code owner} binding would re-point (for tests). */
    synchronized int describedIn(Store owner) {
        int n = 0;
        for (List<Descriptor> ds : descriptors) if (ds != null) for (Descriptor d : ds) if (d.owner() == owner) n++;
        return n;
    }

    /** A funcref descriptor at {@code address}, in the native memory of {@code owner}. */
    private record Descriptor(long address, Store owner) {
    }

    private static void setDescriptorCode(long descriptor, long code) {
        NATIVE.set(ValueLayout.JAVA_LONG, descriptor + VmContextLayout.FUNC_CODE, code);
    }

    /** True once calls of defined function {@code f} go to native code (bound, or promoted from the interpreter). */
    boolean bound(int f) {
        return address.get(f) != 0;
    }

    /**
     * Records that the continuation at loop {@code osrIndex} of {@code f} was declined once; true the
     * first time, false when it was declined before (so a loop that asks again is compiled).
     */
    synchronized boolean declineOsrOnce(int f, int osrIndex) {
        return osrDeclined.add(((long) f << 32) | osrIndex);
    }

    /** Compiles (if needed) and binds a hot function: the promotion the background compiler runs. */
    void promote(int f) {
        if (address.get(f) != 0) return;
        boolean fromCache = hasCode(f);
        try {
            bind(f);
            if (!fromCache) stats.promoted.incrementAndGet();
        } catch (RuntimeException | OutOfMemoryError e) {
            // e.g. SIMD the backend cannot lower yet, a function over the compile budget, or a
            // compile that ran out of heap anyway (its memory is garbage again): keep interpreting
            stats.failed.incrementAndGet();
        }
    }

    /** Native code that continues function {@code funcIndex} at a loop header, with its own signature. */
    record OsrEntry(long address, FuncType type) {
    }

    /**
     * Compiles and places the OSR variant of {@code f} entered at IR block {@code headerBlock}
     * (the interpreter built the same IR, so block ids and entry values agree).
     */
    OsrEntry compileOsr(int f, int headerBlock) {
        long start = System.nanoTime();
        CompileBudget.check(module.validated(), f, options);
        IrFunction ir = Preparation.osrVariant(module.validated(), f, headerBlock, options);
        MachineCode mc = backend.compile(module.validated(), names, ir, names.of(f) + ".osr" + headerBlock, options);
        stats.compiled(System.nanoTime() - start);
        PlacedFunction p;
        synchronized (this) {
            List<PlacedFunction> batch = natives.place(List.of(mc), resolver(), m::functionDisplayName);
            placed.placed(batch, true);
            p = batch.get(0);
        }
        stats.osr.incrementAndGet();
        return new OsrEntry(p.address(), ir.type());
    }

    /** True when this run compiled code the cache does not have yet. */
    synchronized boolean hasNewCode() {
        if (damage.get() != null) return false; // the entry is removed: the next run rebuilds it whole
        for (boolean b : compiledHere) if (b) return true;
        return false;
    }

    /**
     * A cache object (mapped format) with every function that has code, for writing back to the cache:
     * the mapped object's text as it is, then the code compiled since.
     */
    synchronized byte[] object(BuildIdentity identity) {
        List<MachineCode> all = new ArrayList<>();
        for (int f = 0; f < code.length(); f++) {
            MachineCode c = code.get(f);
            if (c != null && (mapped == null || !mapped.hasCode(f))) all.add(c);
        }
        return LinkedObjectWriter.write(identity, m.functionCount(), all, NativeCompiler.linking(backend, names), mapped);
    }

    ValidatedModule validated() {
        return module.validated();
    }
}
