package dev.kiln.runtime;

import dev.kiln.frontend.ConstExpr;
import dev.kiln.frontend.ConstInstr;
import dev.kiln.frontend.DataSegment;
import dev.kiln.frontend.ElementSegment;
import dev.kiln.frontend.Export;
import dev.kiln.frontend.Global;
import dev.kiln.frontend.GlobalType;
import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Import;
import dev.kiln.frontend.Limits;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.SegmentMode;
import dev.kiln.frontend.TableType;
import dev.kiln.frontend.TypeHierarchy;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.interpreter.CompiledFunction;
import dev.kiln.interpreter.FunctionCompiler;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.interpreter.gc.ConstGc;
import dev.kiln.interpreter.gc.GcHeap;
import dev.kiln.interpreter.gc.GcType;
import dev.kiln.ir.Numerics;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.runtime.internal.StartupPhases;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * An instantiated module: its functions, tables, memories and globals (imported ones shared with
 * their exporters), its VMContext, and its exports. Created by {@link Store#instantiate}.
 */
public final class Instance implements Caller {
    /** Instances by VMContext address, for calls from native code (host functions, helpers). */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle INTERRUPT_FLAG = ValueLayout.JAVA_INT.varHandle();
    private static final Map<Long, Instance> BY_CONTEXT = new ConcurrentHashMap<>();
    private static final VarHandle FUNCTION_SLOT = MethodHandles.arrayElementVarHandle(FunctionInstance[].class);

    private final Store store;
    private final WasmModule module;
    private final Module m;
    /**
     * The function objects: imports from linking on, a defined function's made when first asked for
     * ({@link #function(int)}: an export, a funcref, a call from Java), so instantiating a module of many
     * functions does not make an object for each.
     */
    private final FunctionInstance[] functions;
    /** How many defined functions have an object so far (statistics and tests). */
    private final AtomicInteger definedFunctionObjects = new AtomicInteger();
    /** The funcref descriptors of the defined functions, filled when first needed, with no object per function. */
    private final DefinedFuncrefs funcrefs;
    final TableInstance[] tables;
    final MemoryInstance[] memories;
    final GlobalInstance[] globals;
    final TagInstance[] tags;
    /** Evaluated items of each element segment; empty once dropped. */
    final long[][] elementItems;
    final boolean[] dataDropped;
    /** The run-time type (layout, supertype display) of each type index, canonical store-wide. */
    final GcType[] gcTypes;
    final int[] typeIds;
    private final MemorySegment vmctx;
    private final Map<String, Extern> exports = new LinkedHashMap<>();
    /** Functions compiled for the interpreter (the module's array, shared with its other instances). */
    final CompiledFunction[] interpreted;
    private InterpreterBinding binding;
    /** Native code of the module once native code may run in the store (see {@link Store#activateNative}), else null. */
    private volatile NativeModule nativeCode;
    /** Descriptors this instance made for its imported host functions (native callers need their code). */
    private final List<Long> hostImportDescriptors = new ArrayList<>();

    private Instance(Store store, WasmModule module) {
        this.store = store;
        this.module = module;
        this.m = module.validated().module();
        this.functions = new FunctionInstance[m.functionCount()];
        this.tables = new TableInstance[m.tableCount()];
        this.memories = new MemoryInstance[m.memoryCount()];
        this.globals = new GlobalInstance[m.globalCount()];
        this.tags = new TagInstance[m.tagCount()];
        this.elementItems = new long[m.elements().size()][];
        this.dataDropped = new boolean[m.data().size()];
        this.typeIds = new int[m.types().size()];
        var hierarchy = module.validated().types();
        this.gcTypes = store.gcTypes.typesOf(hierarchy);
        store.state().segment.set(ValueLayout.JAVA_LONG, ExecutionStateLayout.GC_TYPES, store.gcTypes.displayTable());
        for (int i = 0; i < typeIds.length; i++) typeIds[i] = m.isFuncType(i) ? store.typeIdOfKey(hierarchy.canonicalKey(i)) : 0;
        this.vmctx = store.arena.allocate(VmContextLayout.size(m.memoryCount()), 16);
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.STATE, store.state().address());
        this.interpreted = module.interpreted();
        this.funcrefs = new DefinedFuncrefs(this, m.functionCount());
        BY_CONTEXT.put(vmctx.address(), this);
    }

    /**
     * Native code may run from now on (called by the store, once): the runtime helpers go into
     * the VMContext, the module's slots and stubs are made (and, on the native tier, all bound),
     * and descriptors made so far get the code native callers jump to.
     */
    synchronized void activateNative() {
        if (nativeCode != null) return;
        for (RuntimeHelper h : RuntimeHelper.values()) {
            vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.helper(h), NativeUpcalls.helperAddress(h));
        }
        List<HostFunctionInstance> hosts = new ArrayList<>(hostImportDescriptors.size());
        for (long d : hostImportDescriptors) {
            hosts.add((HostFunctionInstance) store.functionByHandle(NATIVE.get(ValueLayout.JAVA_INT, d + VmContextLayout.FUNC_HANDLE)));
        }
        store.hostThunks(hosts);
        for (int k = 0; k < hosts.size(); k++) {
            NATIVE.set(ValueLayout.JAVA_LONG, hostImportDescriptors.get(k) + VmContextLayout.FUNC_CODE, hosts.get(k).nativeThunk);
        }
        if (m.functionBodies().isEmpty()) return;
        NativeModule code = module.nativeCode(store.backend(), store.codeOptions());
        NativeCodeMemory natives = NativeCodeMemory.get(store.backend());
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.TRAP_ROUTINE, natives.trapRoutine());
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.INSTANCE_RETURN, natives.instanceReturn());
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.SLOTS, code.slotsAddress());
        if (store.tier() == Tier.NATIVE) code.bindAll();
        synchronized (funcrefs) {
            // a thread filling a descriptor meanwhile (activation may run on a compiler thread while
            // the program runs) either fills it before this walk or finds the native code set
            funcrefs.forEachFilled(i -> code.describe(i, funcrefs.descriptor(i), store));
            nativeCode = code;
        }
    }

    /** Sets or clears the flag compiled code and the interpreter check for interruption. */
    void setInterruptFlag(boolean on) {
        INTERRUPT_FLAG.setVolatile(vmctx, (long) VmContextLayout.INTERRUPT, on ? 1 : 0);
    }

    /** True when the store asked this instance's code to stop. */
    boolean interruptFlag() {
        return (int) INTERRUPT_FLAG.getVolatile(vmctx, (long) VmContextLayout.INTERRUPT) != 0;
    }

    /** The instance whose VMContext is at {@code address}, or null. */
    static Instance byContext(long address) {
        return BY_CONTEXT.get(address);
    }

    static void forget(Store s) {
        BY_CONTEXT.values().removeIf(i -> i.store == s);
    }

    static void forget(Instance i) {
        BY_CONTEXT.remove(i.vmctxAddress(), i);
    }

    /** No native code runs for this instance any more (the store stays interpreted: the code space is full). */
    synchronized void deactivateNative() {
        nativeCode = null;
    }

    /** The address native code calls a defined function of this instance through (its stub), or 0 when nothing runs natively. */
    long nativeEntry(int funcIndex) {
        return nativeCode == null || m.isImportedFunction(funcIndex) ? 0 : nativeCode.stub(funcIndex);
    }

    /**
     * Defined function {@code funcIndex} of this instance got its funcref descriptor: once native
     * code runs, the descriptor's code is the function's stub or, when bound, its code.
     */
    void describe(int funcIndex, long descriptor) {
        if (nativeCode != null) nativeCode.describe(funcIndex, descriptor, store);
    }

    /** The store is closing: the module's native side stops re-pointing this store's descriptors. */
    void releaseNative() {
        NativeModule code = nativeCode;
        if (code != null) code.release(store);
    }

    static Instance create(Store store, WasmModule module, Imports imports) {
        Instance inst = new Instance(store, module);
        inst.link(imports);
        StartupPhases.mark("link");
        inst.allocate();
        StartupPhases.mark("allocate");
        try {
            inst.initialize();
        } catch (TrapException t) {
            throw WasmTrap.of(t);
        } catch (ThrownException t) { // from the start function
            throw WasmException.of(t);
        }
        return inst;
    }

    public Store store() {
        return store;
    }

    public WasmModule module() {
        return module;
    }

    ValidatedModule validated() {
        return module.validated();
    }

    long vmctxAddress() {
        return vmctx.address();
    }

    /** Exports by name, in declaration order. */
    @Override
    public Map<String, Extern> exports() {
        return Collections.unmodifiableMap(exports);
    }

    /** For host functions: the memory exported as "memory", else memory 0 (exported or not). */
    @Override
    public Optional<Memory> findMemory() {
        Optional<MemoryInstance> exported = findMemory("memory");
        if (exported.isPresent()) return Optional.of(exported.get());
        return memories.length > 0 ? Optional.of(memories[0]) : Optional.empty();
    }

    @Override
    public String describe() {
        return "the instance of " + module.name();
    }

    // ---- instantiation ----

    private void link(Imports imports) {
        int fi = 0, ti = 0, mi = 0, gi = 0, xi = 0;
        for (Import imp : m.imports()) {
            Extern e = imports.lookup(imp.module(), imp.name(), store);
            String what = imp.module() + "." + imp.name();
            if (e == null) throw new LinkException("unknown import: " + what);
            if (storeOf(e) != store) throw new LinkException("cannot import " + what + ": it belongs to another store");
            switch (imp.kind()) {
                case FUNC -> {
                    if (!(e instanceof FunctionInstance f) || store.typeId(f) != typeIds[imp.typeIndex()]
                            && !store.functionGcType(f).isSubtypeOf(gcTypes[imp.typeIndex()])) {
                        throw incompatible(what, m.funcType(imp.typeIndex()).toString(), e);
                    }
                    functions[fi++] = f;
                }
                case TABLE -> {
                    if (!(e instanceof TableInstance t) || !sameAcrossModules(t.valElementType(), t.types, imp.table().elementType())
                            || t.tableType().is64() != imp.table().is64()
                            || !new Limits(t.size(), t.tableType().limits().max(), t.tableType().limits().hasMax()).matches(imp.table().limits())) {
                        throw incompatible(what, "table " + imp.table(), e);
                    }
                    tables[ti++] = t;
                }
                case MEMORY -> {
                    if (!(e instanceof MemoryInstance mem) || mem.memoryType().is64() != imp.memory().is64()
                            || !new Limits(mem.byteSize() >>> 16, mem.memoryType().limits().max(), mem.memoryType().limits().hasMax()).matches(imp.memory().limits())) {
                        throw incompatible(what, "memory " + imp.memory(), e);
                    }
                    memories[mi++] = mem;
                }
                case GLOBAL -> {
                    if (!(e instanceof GlobalInstance g) || g.globalType().mutable() != imp.global().mutable()
                            || !(g.globalType().mutable() ? sameAcrossModules(g.globalType().type(), g.types, imp.global().type())
                                 : matchesAcrossModules(g.globalType().type(), g.types, imp.global().type()))) {
                        throw incompatible(what, "global " + imp.global(), e);
                    }
                    globals[gi++] = g;
                }
                case TAG -> {
                    if (!(e instanceof TagInstance t) || t.typeId != typeIds[imp.typeIndex()]) {
                        throw incompatible(what, "tag " + m.funcType(imp.typeIndex()), e);
                    }
                    tags[xi++] = t;
                }
            }
        }
    }

    /** The canonical text of a value type: its own text, with a type index replaced by its canonical key. */
    private static String typeKey(ValType t, TypeHierarchy types) {
        HeapType h = t.heapType();
        if (h == null || h.isAbstract() || types == null) return t.toString();
        return (t.nullable() ? "null " : "") + types.canonicalKey(h.typeIndex());
    }

    /** Type equivalence between an exported value's type (from {@code theirs}) and this module's import. */
    private boolean sameAcrossModules(ValType exported, TypeHierarchy theirs, ValType imported) {
        return typeKey(exported, theirs).equals(typeKey(imported, module.validated().types()));
    }

    /** Subtyping for immutable imports: equivalent, or both abstract-typed and the exported a subtype. */
    private boolean matchesAcrossModules(ValType exported, TypeHierarchy theirs, ValType imported) {
        if (sameAcrossModules(exported, theirs, imported)) return true;
        var mine = module.validated().types();
        boolean exportedAbstract = exported.heapType() == null || exported.heapType().isAbstract();
        if (exportedAbstract) return mine.isSubtype(exported, imported);
        if (exported.nullable() && !imported.nullable()) return false;
        // a concrete exported type: the same type made nullable, or an abstract type above it
        if (imported.heapType() == null) return false;
        if (imported.heapType().isConcrete()) {
            return typeKey(exported.asNullable(), theirs).equals(typeKey(imported.asNullable(), mine));
        }
        return theirs.isSubtype(exported.heapType(), imported.heapType());
    }

    private static Store storeOf(Extern e) {
        return switch (e) {
            case FunctionInstance f -> f.store;
            case TableInstance t -> t.store;
            case MemoryInstance mem -> mem.store;
            case GlobalInstance g -> g.store;
            case TagInstance t -> t.store;
        };
    }

    private static LinkException incompatible(String what, String expected, Extern actual) {
        return new LinkException("incompatible import type for " + what + ": expected " + expected + ", found "
                + describe(actual));
    }

    private static String describe(Extern e) {
        return switch (e) {
            case FunctionInstance f -> "function " + f.type();
            case TableInstance t -> "table " + t.type();
            case MemoryInstance mem -> "memory " + mem.type();
            case GlobalInstance g -> "global " + g.type();
            case TagInstance t -> t.toString();
        };
    }

    private void allocate() {
        // Objects made by constant expressions are not roots until the instance holds them all.
        GcHeap heap = store.gcHeap();
        heap.deferCollections(true);
        try {
            allocateDeferringCollections();
        } finally {
            heap.deferCollections(false);
        }
    }

    private void allocateDeferringCollections() {
        for (int i = m.importedTableCount(); i < tables.length; i++) {
            TableType t = m.tableType(i);
            ConstExpr init = m.tableInit(i - m.importedTableCount());
            tables[i] = store.newTable(t, init == null ? 0 : evaluate(init)); // an initialiser sees imported globals only
            tables[i].types = module.validated().types();
        }
        for (int i = m.importedMemoryCount(); i < memories.length; i++) memories[i] = store.newMemory(m.memoryType(i));
        for (int i = m.importedTagCount(); i < tags.length; i++) {
            int typeIndex = m.tagType(i).typeIndex();
            tags[i] = new TagInstance(store, m.funcType(typeIndex), typeIds[typeIndex]);
        }
        for (int i = m.importedGlobalCount(); i < globals.length; i++) {
            Global g = m.definedGlobals().get(i - m.importedGlobalCount());
            globals[i] = new GlobalInstance(store, g.type(), evaluateRaw(g.init()));
            globals[i].types = module.validated().types();
        }
        // VMContext
        for (int i = 0; i < memories.length; i++) memories[i].bind(vmctx, i);
        MemorySegment globalArray = store.arena.allocate(Math.max(8, 8L * globals.length), 8);
        for (int i = 0; i < globals.length; i++) globalArray.setAtIndex(ValueLayout.JAVA_LONG, i, globals[i].cellAddress());
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.GLOBALS, globalArray.address());
        MemorySegment tableArray = store.arena.allocate(Math.max(8, 8L * tables.length), 8);
        for (int i = 0; i < tables.length; i++) tableArray.setAtIndex(ValueLayout.JAVA_LONG, i, tables[i].recordAddress());
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.TABLES, tableArray.address());
        // the function type ids, then each type's run-time GC type id (VmContextLayout.gcTypeId)
        MemorySegment typeArray = store.arena.allocate(Math.max(4, 8L * typeIds.length), 4);
        for (int i = 0; i < typeIds.length; i++) {
            typeArray.setAtIndex(ValueLayout.JAVA_INT, i, typeIds[i]);
            typeArray.set(ValueLayout.JAVA_INT, VmContextLayout.gcTypeId(typeIds.length, i), gcTypes[i].id);
        }
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.TYPE_IDS, typeArray.address());
        StartupPhases.mark("tables-memories-globals");
        // compiled code reads this array for calls to imports and for ref.func, which names only declared
        // functions (C.refs): the others get no descriptor until something asks for their funcref
        long[] entries = new long[functions.length];
        BitSet declared = new BitSet(functions.length);
        for (int i = m.importedFunctionCount(); i < functions.length; i++) if (module.validated().isDeclaredFunctionRef(i)) declared.set(i);
        funcrefs.fillAtInstantiation(declared); // no native code yet: nothing to describe them to
        for (int i = 0; i < functions.length; i++) {
            if (m.isImportedFunction(i)) entries[i] = descriptorFor(i);
            else if (declared.get(i)) entries[i] = funcrefs.address(i);
        }
        MemorySegment functionArray = store.arena.allocate(Math.max(8, 8L * functions.length), 8);
        MemorySegment.copy(entries, 0, functionArray, ValueLayout.JAVA_LONG, 0, entries.length); // one copy, not a write per function
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNCTIONS, functionArray.address());
        StartupPhases.mark("descriptors");
        store.register(this);
        StartupPhases.mark("activation");
        // element segment items are evaluated at instantiation
        for (int i = 0; i < elementItems.length; i++) {
            ElementSegment seg = m.elements().get(i);
            long[] items = new long[seg.items().size()];
            for (int k = 0; k < items.length; k++) items[k] = evaluateItem(seg.items().get(k));
            elementItems[i] = items;
        }
        for (Export e : m.exports()) {
            Extern value = switch (e.kind()) {
                case FUNC -> function(e.index());
                case TABLE -> tables[e.index()];
                case MEMORY -> memories[e.index()];
                case GLOBAL -> globals[e.index()];
                case TAG -> tags[e.index()];
            };
            exports.put(e.name(), value);
        }
        binding = new InterpreterBinding(this);
    }

    /**
     * The descriptor compiled code calls function {@code i} through: the function's own funcref
     * descriptor, except for imported host functions, which get one carrying this instance's
     * VMContext so the host sees its caller.
     */
    private long descriptorFor(int i) {
        if (definesFunction(i)) return funcref(i);
        FunctionInstance f = function(i);
        if (!(f instanceof HostFunctionInstance h) || store.tier() == Tier.INTERP) return store.funcref(f);
        MemorySegment d = store.newDescriptor();
        d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_CODE, store.nativeActive() ? store.hostThunk(h) : 0);
        hostImportDescriptors.add(d.address());
        d.set(ValueLayout.JAVA_LONG, VmContextLayout.FUNC_VMCTX, vmctx.address());
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_TYPE_ID, store.typeId(h.funcType()));
        d.set(ValueLayout.JAVA_INT, VmContextLayout.FUNC_HANDLE, store.handle(h));
        return d.address();
    }

    /** Active element and data segments in order (a trap leaves earlier effects in place), then start. */
    private void initialize() {
        for (int i = 0; i < elementItems.length; i++) {
            ElementSegment seg = m.elements().get(i);
            if (seg.mode() == SegmentMode.ACTIVE) {
                long offset = evaluate(seg.offset());
                if (!tables[seg.tableIndex()].tableType().is64()) offset &= 0xFFFF_FFFFL;
                tables[seg.tableIndex()].init(offset, elementItems[i], 0, elementItems[i].length);
            }
            if (seg.mode() != SegmentMode.PASSIVE) elementItems[i] = new long[0];
        }
        for (int i = 0; i < dataDropped.length; i++) {
            DataSegment seg = m.data().get(i);
            if (seg.mode() != SegmentMode.ACTIVE) continue;
            long offset = evaluate(seg.offset());
            if (!memories[seg.memoryIndex()].memoryType().is64()) offset &= 0xFFFF_FFFFL;
            memories[seg.memoryIndex()].init(offset, m.dataArray(), m.dataStart(seg), seg.dataLength(), 0, seg.dataLength());
            dataDropped[i] = true;
        }
        if (m.startFunction() >= 0) function(m.startFunction()).invoke(this, new long[0]);
    }

    /** Function {@code index} of this instance (imported, or defined here: its object made now if it has none yet). */
    FunctionInstance function(int index) {
        FunctionInstance f = functions[index];
        if (f != null) return f;
        WasmFunction made = new WasmFunction(this, index);
        f = (FunctionInstance) FUNCTION_SLOT.compareAndExchange(functions, index, (FunctionInstance) null, (FunctionInstance) made);
        if (f != null) return f; // another thread made it first: one object per function
        definedFunctionObjects.incrementAndGet();
        return made;
    }

    /**
     * The funcref value of function {@code index}: a defined function's descriptor, filled now if it
     * was not, without making its {@link WasmFunction}; an imported function's own.
     */
    long funcref(int index) {
        return definesFunction(index) ? funcrefs.descriptor(index) : store.funcref(functions[index]);
    }

    /** How many defined functions have a filled funcref descriptor (tests). */
    int filledDescriptors() {
        return funcrefs.filled();
    }

    /** The store-wide type id of function {@code index}'s type. */
    int typeIdOfFunction(int index) {
        return typeIds[m.functionTypeIndex(index)];
    }

    /** True when function {@code index} is defined by this instance's module (not imported). */
    boolean definesFunction(int index) {
        return index >= m.importedFunctionCount();
    }

    /** How many defined functions have a {@link WasmFunction} object so far (they are made when first asked for). */
    int definedFunctionObjects() {
        return definedFunctionObjects.get();
    }

    /** The run-time type of function {@code funcIndex}'s type. */
    GcType gcTypeOfFunction(int funcIndex) {
        return gcTypes[m.functionTypeIndex(funcIndex)];
    }

    /** Reports the references this instance holds (globals, element segments) to a collection. */
    void reportGcRoots(LongConsumer root) {
        for (GlobalInstance g : globals) if (g != null) for (long v : g.raw()) root.accept(v);
        for (long[] items : elementItems) if (items != null) for (long v : items) root.accept(v);
    }

    /** A data segment's bytes (empty once dropped). */
    MemorySegment dataSegment(int segment) {
        DataSegment seg = m.data().get(segment);
        if (dataDropped[segment]) return MemorySegment.ofArray(new byte[0]);
        return MemorySegment.ofArray(m.dataArray()).asSlice(m.dataStart(seg), seg.dataLength());
    }

    /** An element segment's item: {@code ref.func} (nearly every item of a real program's table) without the evaluator's stack. */
    private long evaluateItem(ConstExpr e) {
        List<ConstInstr> instrs = e.instrs();
        if (instrs.size() == 1 && instrs.get(0).op() == Opcode.REF_FUNC) return funcref((int) instrs.get(0).imm());
        return evaluate(e);
    }

    /** Evaluates a validated constant expression of a one-word type, extended constants and allocating GC instructions included. */
    long evaluate(ConstExpr e) {
        return evaluateRaw(e)[0];
    }

    /**
     * Evaluates a validated constant expression into raw slots: one, or two for a v128 (low half
     * first). The operand stack holds a v128 in two slots too, so a v128 field or element of an
     * allocating constant expression gets both halves ({@link ConstGc}).
     */
    long[] evaluateRaw(ConstExpr e) {
        long[] stack = new long[2 * e.instrs().size()];
        int sp = 0;
        for (ConstInstr ci : e.instrs()) {
            if (ci.op().feature == WasmFeature.GC) {
                sp = ConstGc.eval(ci, stack, sp, gcTypes, store.gcHeap());
                continue;
            }
            switch (ci.op()) {
                case V128_CONST -> {
                    stack[sp++] = ci.imm();
                    stack[sp++] = ci.imm2();
                }
                case GLOBAL_GET -> {
                    for (long v : globals[(int) ci.imm()].raw()) stack[sp++] = v;
                }
                case I32_ADD, I32_SUB, I32_MUL, I64_ADD, I64_SUB, I64_MUL -> {
                    long b = stack[--sp];
                    long a = stack[--sp];
                    stack[sp++] = Numerics.eval(ci.op(), a, b);
                }
                default -> stack[sp++] = switch (ci.op()) {
                    case I32_CONST -> (int) ci.imm();
                    case I64_CONST, F64_CONST -> ci.imm();
                    case F32_CONST -> ci.imm() & 0xFFFF_FFFFL;
                    case REF_NULL -> 0;
                    case REF_FUNC -> funcref((int) ci.imm());
                    default -> throw new IllegalStateException("not a constant instruction: " + ci.op());
                };
            }
        }
        return Arrays.copyOf(stack, sp);
    }

    // ---- execution ----

    /**
     * Runs a defined function of this instance: natively when it is bound (or can be: the native
     * tier, or cached code, which binds now), else in the interpreter (compiling it on first use).
     */
    long[] invokeDefined(int index, long[] args) {
        return invokeDefined(index, args, false);
    }

    /**
     * As {@link #invokeDefined(int, long[])} for the interpreter's tail calls: when the function runs
     * in the interpreter and ends in a tail call out of it, null (the caller makes that call:
     * {@code Interpreter.invokeOrTail}).
     */
    long[] invokeDefinedOrTail(int index, long[] args) {
        return invokeDefined(index, args, true);
    }

    private long[] invokeDefined(int index, long[] args, boolean mayTail) {
        store.firstInstruction();
        long entry = nativeEntryFor(index);
        if (entry != 0) return NativeBinding.invoke(this, m.functionType(index), entry, args);
        long[] results = mayTail ? Interpreter.invokeOrTail(binding, compiled(index), args) : Interpreter.invoke(binding, compiled(index), args);
        if (results == null) return null;
        // the interpreter keeps i32 sign-extended; callers get i32 and f32 in the low 32 bits, as from native code
        return RawValues.zeroExtend32(m.functionType(index).results(), results);
    }

    /** What the interpreter (and the GC helper of native code) needs of this instance. */
    InterpreterBinding interpreterContext() {
        return binding;
    }

    /** The native entry {@code index} runs from now (binding cached code on its first call), or 0 to interpret it. */
    private long nativeEntryFor(int index) {
        NativeModule code = nativeCode;
        if (code == null) return 0;
        long a = code.address(index);
        if (a == 0) {
            try {
                // native: compiled here when it has no cached code, or its cached code is found damaged; auto:
                // bound when it has code, else (or found damaged) interpreted, and promoted when it gets hot
                a = store.tier() == Tier.NATIVE ? code.bind(index) : code.bindIfCompiled(index);
            } catch (CodeSpaceFullException full) {
                if (store.tier() == Tier.NATIVE) throw full;
                return 0; // auto: this function keeps running in the interpreter
            }
        }
        return a;
    }

    /** The interpreter's code for {@code index} when the function runs in the interpreter, else null. */
    CompiledFunction forInterpreter(int index) {
        return nativeEntryFor(index) != 0 ? null : compiled(index);
    }

    /**
     * A function became hot in the interpreter: in the auto tier, have it compiled. In the background,
     * the store switches to native code when the first such compile starts (once earned, see
     * {@link CompilePace}), not now: a run that earns none never pays for the switch.
     */
    void hot(CompiledFunction f) {
        if (store.tier() != Tier.AUTO) return;
        if (store.engine().compileInBackground()) {
            TierUp.request(this, f);
            return;
        }
        store.activateNative();
        if (nativeCode != null) nativeCode.promote(f.funcIndex);
    }

    /** A loop of a hot function is still running in the interpreter: in the auto tier, compile an OSR continuation. */
    void hotLoop(CompiledFunction f, int osrIndex) {
        if (store.tier() != Tier.AUTO) return;
        if (store.engine().compileInBackground()) {
            TierUp.requestOsr(this, f, osrIndex);
            return;
        }
        store.activateNative();
        if (nativeCode != null) TierUp.compileOsrUnlessNative(nativeCode, f, osrIndex);
    }

    /** This instance's native code, switching the store to native code first if it was not yet; null when it cannot run any. */
    NativeModule activatedNativeModule() {
        if (nativeCode == null) store.activateNative();
        return nativeCode;
    }

    NativeModule nativeModule() {
        return nativeCode;
    }

    // ---- bulk memory and table operations, shared by the interpreter and the native helpers ----

    void memoryFill(long dst, int value, long n) {
        memories[0].wasmFill(dst & 0xFFFF_FFFFL, (byte) value, n & 0xFFFF_FFFFL);
    }

    void memoryCopy(long dst, long src, long n) {
        memories[0].wasmCopy(dst & 0xFFFF_FFFFL, src & 0xFFFF_FFFFL, n & 0xFFFF_FFFFL);
    }

    /** An address or length operand of memory {@code memory}: all 64 bits for a 64-bit memory, else the low 32. */
    long memoryOperand(int memory, long value) {
        return memories[memory].memoryType().is64() ? value : value & 0xFFFF_FFFFL;
    }

    /** An index or length operand of table {@code table}: all 64 bits for a 64-bit table, else the low 32. */
    long tableOperand(int table, long value) {
        return tables[table].tableType().is64() ? value : value & 0xFFFF_FFFFL;
    }

    /** memory.fill on any memory, traps as the spec says (native code's helper). */
    void memoryFill(int memory, long dst, int value, long n) {
        memories[memory].wasmFill(memoryOperand(memory, dst), (byte) value, memoryOperand(memory, n));
    }

    /** memory.copy between any two memories (the length is an i64 only when both are 64-bit), traps as the spec says. */
    void memoryCopy(int dstMemory, int srcMemory, long dst, long src, long n) {
        long length = memoryOperand(dstMemory, memoryOperand(srcMemory, n));
        MemoryInstance.copy(memories[dstMemory], memoryOperand(dstMemory, dst), memories[srcMemory], memoryOperand(srcMemory, src), length);
    }

    void memoryInit(int segment, long dst, long src, long n) {
        DataSegment seg = m.data().get(segment);
        int length = dataDropped[segment] ? 0 : seg.dataLength();
        memories[0].init(dst & 0xFFFF_FFFFL, m.dataArray(), m.dataStart(seg), length, src & 0xFFFF_FFFFL, n & 0xFFFF_FFFFL);
    }

    /** memory.init into memory {@code memory}, the operands already in range of its address type (the interpreter's). */
    void memoryInit(int segment, int memory, long dst, long src, long n) {
        DataSegment seg = m.data().get(segment);
        int length = dataDropped[segment] ? 0 : seg.dataLength();
        memories[memory].init(dst, m.dataArray(), m.dataStart(seg), length, src, n);
    }

    CompiledFunction compiled(int index) {
        CompiledFunction cf = interpreted[index];
        if (cf == null) {
            Backend backend = store.backend();
            cf = backend != null ? FunctionCompiler.compile(module.validated(), index, backend::frameBytes)
                    : FunctionCompiler.compile(module.validated(), index);
            interpreted[index] = cf;
            module.interpretedNow(index, cf);
        }
        return cf;
    }

    GlobalType globalType(int i) {
        return globals[i].globalType();
    }
}
