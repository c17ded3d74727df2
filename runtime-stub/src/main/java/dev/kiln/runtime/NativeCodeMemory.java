package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.ir.WasmFrame;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;
import dev.kiln.linker.CodeSpaceExhaustedException;
import dev.kiln.linker.ExecutableMemory;
import dev.kiln.linker.LinkException;
import dev.kiln.linker.MappedObject;
import dev.kiln.linker.NativeMemoryException;
import dev.kiln.linker.PlacedFunction;
import dev.kiln.linker.SymbolResolver;
import dev.kiln.runtime.internal.Backends;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.IntFunction;

/**
 * All native code of this JVM: executable memory (W^X, from the linker), the trap routine and the
 * instance-return stub, one
 * entry trampoline per function type with its downcall handle, and an index from code addresses
 * back to Wasm functions for stack traces.
 */
final class NativeCodeMemory {
    /** Holds the downcall handle of entry trampolines, made when native code first runs. */
    static final class EntryCall {
        /**
         * Calls an entry trampoline: {@code int (MemorySegment trampoline, long vmctx, long fn, long argbuf, long limit)}.
         * One handle for every trampoline (one bound to each trampoline's address made the JVM spin classes per type).
         */
        @SuppressWarnings("restricted") // calling kiln's own placed code
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

        private EntryCall() {
        }
    }
    private static NativeCodeMemory instance;
    /** Frees the code of modules that became unreachable (see {@link WasmModule}). */
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "kiln-code-release");
        t.setDaemon(true);
        return t;
    });

    private final Backend backend;
    private final ExecutableMemory memory;
    private final long trapRoutine;
    private final long instanceReturn;
    /** The tail-call launcher, or 0 when the backend has none. */
    private final long tailLauncher;
    private final Map<FuncType, MemorySegment> entries = new ConcurrentHashMap<>();
    private final Map<FuncType, Long> interpreterEntries = new ConcurrentHashMap<>();
    private final Map<FuncType, Long> hostEntries = new ConcurrentHashMap<>();
    /** Text of mapped cache objects by start address: frames in them are looked up in their metadata. */
    private final ConcurrentSkipListMap<Long, MappedText> mappedTexts = new ConcurrentSkipListMap<>();

    /** A mapped object's text at {@code base}, registered with the guard-page handler as {@code registration}. */
    record MappedText(long base, MappedObject object, IntFunction<String> names, GuardPages.Registration registration) {
    }

    /**
     * Maps {@code object}'s text for {@code owner} (see {@link MappedObject#mapText}) and tells the
     * frame walk and the guard-page handler about it; with {@code lazyCheck}, the handler checks each
     * block's digest before opening it. The text is unmapped with the owner's other code
     * ({@link #release}). When the system refuses the mapping, the collector first gets a chance to
     * free the text of modules that can no longer run. Returns where the text is.
     */
    long mapText(MappedObject object, IntFunction<String> names, boolean lazyCheck, PlacedCode owner) {
        long base;
        try {
            base = object.mapText(lazyCheck);
        } catch (NativeMemoryException e) {
            reclaim();
            base = object.mapText(lazyCheck);
        }
        GuardPages.Registration registration;
        try {
            registration = lazyCheck ? GuardPages.addLazyText(base, base + object.textSize(), object.textDigestsAddress())
                    : GuardPages.addCodeRange(base, base + object.textSize());
        } catch (RuntimeException e) {
            object.unmapText(base);
            throw e;
        }
        MappedText text = new MappedText(base, object, names, registration);
        mappedTexts.put(base, text);
        owner.mapped(text);
        return base;
    }

    /** The mapped object whose text holds {@code address}, or null. */
    MappedObject mappedObjectAt(long address) {
        Map.Entry<Long, MappedText> e = mappedTexts.floorEntry(address);
        if (e == null || address - e.getKey() >= e.getValue().object().textSize()) return null;
        return e.getValue().object();
    }

    /** The placed function holding {@code returnAddress - 1} in a mapped text, or null. */
    private Placed mappedFunctionAt(long returnAddress) {
        Map.Entry<Long, MappedText> e = mappedTexts.floorEntry(returnAddress - 1);
        if (e == null) return null;
        MappedText t = e.getValue();
        long offset = returnAddress - 1 - t.base();
        if (offset >= t.object().textSize()) return null;
        int f = t.object().functionAt(offset);
        if (f < 0) return null;
        long start = t.base() + t.object().textOffset(f);
        return new Placed(start, t.object().codeSize(f), f, t.names(), t.object().trapSites(f));
    }

    /** Placed Wasm functions by start address, for mapping return addresses to Wasm frames. */
    private final ConcurrentSkipListMap<Long, Placed> byAddress = new ConcurrentSkipListMap<>();

    /** A placed function: where it is and how to name its frames (and those of functions inlined into it). */
    record Placed(long address, int size, int funcIndex, IntFunction<String> names, List<TrapSite> sites) {
    }

    /**
     * Address space reserved for code, at once and only once: x86-64 code calls the trap routine and
     * shared stubs with rel32 displacements (±2 GiB), AArch64 code calls within a module with
     * {@code bl} (±128 MiB), so all code must stay in one window. Only the address space is
     * reserved; pages are committed as code is placed and returned when it is freed. The system
     * property {@code kiln.codeSpace} (bytes) sets a smaller window, for tests of exhaustion.
     */
    static final long X64_CODE_RESERVATION = 1L << 30;
    static final long A64_CODE_RESERVATION = 128L << 20;

    private NativeCodeMemory(Backend backend) {
        this.backend = backend;
        long size = Long.getLong("kiln.codeSpace", backend.target() == Target.X86_64 ? X64_CODE_RESERVATION : A64_CODE_RESERVATION);
        this.memory = ExecutableMemory.ofFixedSize(backend.relocationModel(), InstructionCache.forTarget(backend.target()), size,
                GuardPages::addCodeRange);
        try {
            this.trapRoutine = memory.place(backend.trapRoutine(), SymbolResolver.none()).address();
            this.instanceReturn = memory.place(backend.instanceReturn(), SymbolResolver.none()).address();
            MachineCode launcher = backend.tailLauncher();
            this.tailLauncher = launcher == null ? 0 : memory.place(launcher, SymbolResolver.none()).address();
            GuardPages.install(backend, trapRoutine, handler -> {
                try {
                    return memory.place(handler, SymbolResolver.none()).address();
                } catch (LinkException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (LinkException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process's native code memory if it was made, else null. */
    static synchronized NativeCodeMemory existing() {
        return instance;
    }

    /**
     * The process's native code memory for the host architecture (code of any of its CPU levels
     * goes there). Its own stubs come from the architecture's lowest level, so they run under
     * every store's level.
     */
    static synchronized NativeCodeMemory get(Backend backend) {
        if (instance == null) instance = new NativeCodeMemory(Backends.forTarget(backend.target()));
        if (instance.backend.target() != backend.target()) throw new IllegalStateException("native code runs for one target per process");
        return instance;
    }

    Backend backend() {
        return backend;
    }

    long trapRoutine() {
        return trapRoutine;
    }

    /** The tail-call launcher's address, 0 when the backend has none ({@link Backend#tailLauncher}). */
    long tailLauncher() {
        return tailLauncher;
    }

    /** {@link Backend#tailLaunchOffsets}. */
    int[] tailLaunchOffsets(FuncType t) {
        return tailLauncher == 0 ? null : backend.tailLaunchOffsets(t);
    }

    long instanceReturn() {
        return instanceReturn;
    }

    /** The address of the runtime routine compiled code names {@code symbol}, if it is one. */
    OptionalLong runtimeSymbol(String symbol) {
        return switch (symbol) {
            case Backend.TRAP_SYMBOL -> OptionalLong.of(trapRoutine);
            case Backend.INSTANCE_RETURN_SYMBOL -> OptionalLong.of(instanceReturn);
            default -> OptionalLong.empty();
        };
    }

    /** Places tiering stubs (no Wasm frames of their own). */
    List<PlacedFunction> placeStubs(List<MachineCode> stubs) {
        try {
            return placeAll(stubs, SymbolResolver.of(Map.of(Backend.TRAP_SYMBOL, trapRoutine,
                    Backend.INSTANCE_RETURN_SYMBOL, instanceReturn)));
        } catch (LinkException e) {
            throw new IllegalStateException("cannot place native stubs: " + e.getMessage(), e);
        }
    }

    /**
     * Places code; when the code space is full, first lets the garbage collector find modules that
     * can no longer run (their code is freed as they are collected), then tries once more.
     */
    private List<PlacedFunction> placeAll(List<MachineCode> code, SymbolResolver resolver) {
        try {
            return memory.placeAll(code, resolver);
        } catch (CodeSpaceExhaustedException full) {
            reclaim();
            try {
                return memory.placeAll(code, resolver);
            } catch (CodeSpaceExhaustedException still) {
                throw new CodeSpaceFullException(memory.sealedBytes(), memory.reservedBytes());
            }
        }
    }

    /** Runs the collector and waits (briefly) for the code of modules it finds unreachable to be freed. */
    private void reclaim() {
        long before = memory.sealedBytes();
        System.gc();
        for (int i = 0; i < 50 && memory.sealedBytes() >= before; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }


    /** Code a module placed or mapped, freed together when the module can no longer run (see {@link #release}). */
    static final class PlacedCode {
        private final List<Long> placements = new ArrayList<>();
        private final List<Long> functions = new ArrayList<>();
        private final List<MappedText> mapped = new ArrayList<>();

        synchronized void mapped(MappedText text) {
            mapped.add(text);
        }

        synchronized void placed(List<PlacedFunction> batch, boolean functionsWithFrames) {
            if (batch.isEmpty()) return;
            placements.add(batch.getFirst().address());
            if (functionsWithFrames) for (PlacedFunction p : batch) functions.add(p.address());
        }
    }

    /**
     * Frees everything in {@code code} (called once its module is unreachable and every store that
     * ran it is closed: nothing can call it any more).
     */
    void release(PlacedCode code) {
        synchronized (code) {
            for (long f : code.functions) byAddress.remove(f);
            for (long p : code.placements) memory.free(p);
            // the handler forgets a text before it is unmapped (a fault there is then no longer kiln's)
            for (MappedText t : code.mapped) {
                GuardPages.remove(t.registration());
                mappedTexts.remove(t.base());
                t.object().unmapText(t.base());
            }
            code.functions.clear();
            code.placements.clear();
            code.mapped.clear();
        }
    }

    /** Mapped cache texts in use now (for tests). */
    int mappedTextCount() {
        return mappedTexts.size();
    }

    /** Bytes of code placed and not freed (what the code space holds now). */
    long liveCodeBytes() {
        return memory.sealedBytes();
    }

    /** The native-to-interpreter adapter for functions of {@code type} (made once per type). */
    long interpreterEntry(FuncType type) {
        Long a = interpreterEntries.get(type);
        return a != null ? a : interpreterEntries(Set.of(type)).get(type);
    }

    /**
     * The interpreter adapters of all of {@code types}, the missing ones assembled and placed
     * together (a module has dozens of types; each placement is system calls).
     */
    synchronized Map<FuncType, Long> interpreterEntries(Collection<FuncType> types) {
        List<FuncType> missing = new ArrayList<>();
        for (FuncType t : types) if (!interpreterEntries.containsKey(t) && !missing.contains(t)) missing.add(t);
        if (!missing.isEmpty()) {
            List<MachineCode> code = new ArrayList<>(missing.size());
            for (FuncType t : missing) { // symbols are unique within a placement
                code.add(backend.interpreterEntry(t, "kiln_interpreter_entry_" + interpreterEntries.size() + "_" + code.size(),
                        NativeUpcalls.interpretAddress()));
            }
            List<PlacedFunction> placed = placeStubs(code);
            for (int k = 0; k < missing.size(); k++) interpreterEntries.put(missing.get(k), placed.get(k).address());
        }
        return interpreterEntries;
    }

    /**
     * Thunks for several host functions ({@code handles[k]} of type {@code types.get(k)}), placed
     * together (recorded in {@code owner}, the store's code), with any adapter of their types not
     * made yet (adapters are shared by every store).
     */
    synchronized long[] hostThunks(int[] handles, List<FuncType> types, PlacedCode owner) {
        List<FuncType> missing = new ArrayList<>();
        for (FuncType t : types) if (!hostEntries.containsKey(t) && !missing.contains(t)) missing.add(t);
        if (!missing.isEmpty()) {
            List<MachineCode> adapters = new ArrayList<>(missing.size());
            for (FuncType t : missing) { // symbols are unique within a placement
                adapters.add(backend.interpreterEntry(t, "kiln_host_entry_" + hostEntries.size() + "_" + adapters.size(),
                        NativeUpcalls.callHostAddress()));
            }
            List<PlacedFunction> placed = placeStubs(adapters);
            for (int k = 0; k < missing.size(); k++) hostEntries.put(missing.get(k), placed.get(k).address());
        }
        List<MachineCode> thunks = new ArrayList<>(handles.length);
        for (int k = 0; k < handles.length; k++) {
            thunks.add(backend.adapterThunk("kiln_host_" + handles[k], handles[k], hostEntries.get(types.get(k))));
        }
        List<PlacedFunction> placed = placeStubs(thunks);
        owner.placed(placed, false);
        long[] out = new long[handles.length];
        for (int k = 0; k < out.length; k++) out[k] = placed.get(k).address();
        return out;
    }

    /** Places compiled functions; their calls to other symbols go through {@code resolver}. */
    List<PlacedFunction> place(List<MachineCode> functions, SymbolResolver resolver, IntFunction<String> names) {
        try {
            List<PlacedFunction> placed = placeAll(functions, resolver);
            for (int i = 0; i < placed.size(); i++) {
                PlacedFunction p = placed.get(i);
                MachineCode mc = functions.get(i);
                byAddress.put(p.address(), new Placed(p.address(), mc.code().length, mc.funcIndex(), names,
                        mc.trapSites()));
            }
            return placed;
        } catch (LinkException e) {
            throw new IllegalStateException("cannot place native code: " + e.getMessage(), e);
        }
    }

    /**
     * The entry trampoline for {@code type}, called through {@link EntryCall#HANDLE} with its address:
     * {@code int (vmctx, fn, argbuf, limit)}.
     */
    MemorySegment entry(FuncType type) {
        return entries.computeIfAbsent(type, t -> {
            try {
                return MemorySegment.ofAddress(placeAll(List.of(backend.entryTrampoline(t, "kiln_entry")), SymbolResolver.none()).getFirst().address());
            } catch (LinkException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** True when {@code returnAddress} is a recorded trap site of {@code kind} in placed Wasm code. */
    boolean isTrapSite(long returnAddress, dev.kiln.ir.TrapKind kind) {
        Placed p = placedAt(returnAddress);
        if (p == null) return false;
        long offset = returnAddress - p.address();
        for (TrapSite s : p.sites()) if (s.codeOffset() == offset && s.kind() == kind) return true;
        return false;
    }

    /**
     * The address of the exception dispatch of the call site {@code returnAddress} returns to, or 0
     * when it is no call site in a try region of placed Wasm code.
     */
    long dispatchAt(long returnAddress) {
        Placed p = placedAt(returnAddress);
        if (p == null) return 0;
        long offset = returnAddress - p.address();
        if (offset > p.size()) return 0;
        for (TrapSite s : p.sites()) if (s.codeOffset() == offset && s.hasDispatch()) return p.address() + s.dispatchOffset();
        return 0;
    }

    /** The placed or mapped function a return address lies in (or just after), or null. */
    private Placed placedAt(long returnAddress) {
        Placed mappedOne = mappedFunctionAt(returnAddress);
        if (mappedOne != null) return mappedOne;
        Map.Entry<Long, Placed> e = byAddress.floorEntry(returnAddress - 1);
        return e == null ? null : e.getValue();
    }

    /**
     * The Wasm frames a native return address belongs to, innermost first: the function's own, after
     * those of the functions inlined into it around the site; empty for trampolines and unknown code.
     */
    List<WasmFrame> framesAt(long returnAddress) {
        // a return address follows its call, so it is never its own function's first byte, but it can be
        // the next function's (a call at the very end, such as the last trap stub)
        Placed p = placedAt(returnAddress);
        if (p == null) return List.of();
        long offset = returnAddress - p.address();
        if (offset > p.size()) return List.of();
        for (TrapSite s : p.sites()) {
            if (s.codeOffset() != offset) continue;
            List<WasmFrame> frames = new ArrayList<>(s.inlined().size() + 1);
            int at = s.wasmOffset();
            for (InlinedCall c : s.inlined()) {
                frames.add(new WasmFrame(c.funcIndex(), p.names().apply(c.funcIndex()), at));
                at = c.callOffset();
            }
            frames.add(new WasmFrame(p.funcIndex(), p.names().apply(p.funcIndex()), at));
            return frames;
        }
        return List.of(new WasmFrame(p.funcIndex(), p.names().apply(p.funcIndex()), -1));
    }
}
