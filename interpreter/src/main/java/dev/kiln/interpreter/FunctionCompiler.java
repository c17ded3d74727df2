package dev.kiln.interpreter;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.BlockLiveness;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Numerics;
import dev.kiln.ir.OsrTransform;
import dev.kiln.ir.Terminator;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.FrameSlotsOnly;
import dev.kiln.regalloc.LinearScan;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Compiles one function for the interpreter: IR, optimised and with critical edges split, values
 * mapped to frame slots by {@link LinearScan} (parameters in slots {@code 0..n-1}), then one
 * {@link Op} per IR instruction, moves for block parameters, and fused compare-and-branch where an
 * i32 or f64 comparison only feeds a branch. Constant operands are folded into the instructions that
 * have an immediate form ({@link Immediates}), constants passed along edges are written by
 * {@link Op#CONST}; only constants with some other use get a slot (after the parameters,
 * preloaded at every call).
 */
public final class FunctionCompiler {
    /** Wasm operations with a dedicated interpreter opcode (others go through {@link Numerics}). */
    private static final Map<Opcode, Integer> DIRECT = new EnumMap<>(Opcode.class);
    /** Comparisons the interpreter runs as their mirror image, with the operands swapped ({@code a > b} as {@code b < a}). */
    private static final Map<String, String> SWAPPED_NAMES = Map.ofEntries(
            Map.entry("I32_GT_S", "I32_LT_S"), Map.entry("I32_GT_U", "I32_LT_U"), Map.entry("I32_GE_S", "I32_LE_S"),
            Map.entry("I32_GE_U", "I32_LE_U"), Map.entry("I64_GT_S", "I64_LT_S"), Map.entry("I64_GT_U", "I64_LT_U"),
            Map.entry("I64_GE_S", "I64_LE_S"), Map.entry("I64_GE_U", "I64_LE_U"), Map.entry("F32_GT", "F32_LT"),
            Map.entry("F32_GE", "F32_LE"), Map.entry("F64_GT", "F64_LT"), Map.entry("F64_GE", "F64_LE"));
    private static final Map<Opcode, Integer> SWAPPED = new EnumMap<>(Opcode.class);
    /** Wasm comparisons that fuse with a branch, and the fused opcode (the operands swapped for those in SWAPPED). */
    private static final Map<Opcode, Integer> FUSED = new EnumMap<>(Opcode.class);
    /** The comparison that is true exactly when the key is false. */
    private static final Map<Opcode, Opcode> INVERSE = new EnumMap<>(Opcode.class);

    static {
        String[] direct = {"I32_ADD", "I32_SUB", "I32_MUL", "I32_AND", "I32_OR", "I32_XOR", "I32_SHL", "I32_SHR_S",
                "I32_SHR_U", "I32_ROTL", "I32_ROTR", "I32_DIV_S", "I32_DIV_U", "I32_REM_S", "I32_REM_U", "I32_EQ", "I32_NE",
                "I32_LT_S", "I32_LT_U", "I32_GT_S", "I32_GT_U", "I32_LE_S", "I32_LE_U", "I32_GE_S", "I32_GE_U", "I32_EQZ",
                "I32_CLZ", "I32_CTZ", "I32_POPCNT", "I64_ADD", "I64_SUB", "I64_MUL", "I64_AND", "I64_OR", "I64_XOR",
                "I64_SHL", "I64_SHR_S", "I64_SHR_U", "I64_ROTL", "I64_ROTR", "I64_DIV_S", "I64_DIV_U", "I64_REM_S",
                "I64_REM_U", "I64_EQ", "I64_NE", "I64_LT_S", "I64_LT_U", "I64_GT_S", "I64_GT_U", "I64_LE_S", "I64_LE_U",
                "I64_GE_S", "I64_GE_U", "I64_EQZ", "I64_CLZ", "I64_CTZ", "I64_POPCNT", "I32_WRAP_I64", "I64_EXTEND_I32_S",
                "I64_EXTEND_I32_U", "F32_ADD", "F32_SUB", "F32_MUL", "F32_DIV", "F32_EQ", "F32_NE", "F32_LT", "F32_GT",
                "F32_LE", "F32_GE", "F64_ADD", "F64_SUB", "F64_MUL", "F64_DIV", "F64_EQ", "F64_NE", "F64_LT", "F64_GT",
                "F64_LE", "F64_GE", "F32_NEG", "F64_NEG", "F32_ABS", "F64_ABS", "F64_CONVERT_I32_S", "F64_PROMOTE_F32",
                "F64_SQRT", "F32_SQRT"};
        for (String n : direct) {
            String swapped = SWAPPED_NAMES.get(n);
            if (swapped != null) SWAPPED.put(Opcode.valueOf(n), opcode(swapped));
            else DIRECT.put(Opcode.valueOf(n), opcode(n));
        }
        // Loads and stores share opcodes where slot contents coincide (i32 values are kept sign-extended).
        DIRECT.put(Opcode.I32_LOAD, Op.LOAD_I32);
        DIRECT.put(Opcode.F32_LOAD, Op.LOAD_I32);
        DIRECT.put(Opcode.I64_LOAD32_S, Op.LOAD_I32);
        DIRECT.put(Opcode.I64_LOAD, Op.LOAD_I64);
        DIRECT.put(Opcode.F64_LOAD, Op.LOAD_I64);
        DIRECT.put(Opcode.I32_LOAD8_S, Op.LOAD_I8_S);
        DIRECT.put(Opcode.I64_LOAD8_S, Op.LOAD_I8_S);
        DIRECT.put(Opcode.I32_LOAD8_U, Op.LOAD_I8_U);
        DIRECT.put(Opcode.I64_LOAD8_U, Op.LOAD_I8_U);
        DIRECT.put(Opcode.I32_LOAD16_S, Op.LOAD_I16_S);
        DIRECT.put(Opcode.I64_LOAD16_S, Op.LOAD_I16_S);
        DIRECT.put(Opcode.I32_LOAD16_U, Op.LOAD_I16_U);
        DIRECT.put(Opcode.I64_LOAD16_U, Op.LOAD_I16_U);
        DIRECT.put(Opcode.I64_LOAD32_U, Op.LOAD_U32);
        DIRECT.put(Opcode.I32_STORE, Op.STORE_I32);
        DIRECT.put(Opcode.F32_STORE, Op.STORE_I32);
        DIRECT.put(Opcode.I64_STORE32, Op.STORE_I32);
        DIRECT.put(Opcode.I64_STORE, Op.STORE_I64);
        DIRECT.put(Opcode.F64_STORE, Op.STORE_I64);
        DIRECT.put(Opcode.I32_STORE8, Op.STORE_I8);
        DIRECT.put(Opcode.I64_STORE8, Op.STORE_I8);
        DIRECT.put(Opcode.I32_STORE16, Op.STORE_I16);
        DIRECT.put(Opcode.I64_STORE16, Op.STORE_I16);

        String[][] cmp = {{"I32_EQ", "I32_NE"}, {"I32_LT_S", "I32_GE_S"}, {"I32_LT_U", "I32_GE_U"},
                {"I32_GT_S", "I32_LE_S"}, {"I32_GT_U", "I32_LE_U"}};
        for (String[] pair : cmp) {
            Opcode a = Opcode.valueOf(pair[0]), b = Opcode.valueOf(pair[1]);
            INVERSE.put(a, b);
            INVERSE.put(b, a);
            for (Opcode o : new Opcode[] {a, b}) {
                String swapped = SWAPPED_NAMES.get(o.name());
                FUSED.put(o, opcode("BR_" + (swapped != null ? swapped : o.name())));
            }
        }
    }

    private static int opcode(String name) {
        try {
            return Op.class.getField(name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Module module;
    private final IrFunction f;
    private final Allocation alloc;
    private final long[] constants;
    private final int scratch;
    private final int frameSize;
    final CodeBuffer code = new CodeBuffer();
    private final int[] blockPc;
    /** Each block's position in the layout (the code follows the layout). */
    private final int[] layoutIndex;
    private final List<int[]> patches = new ArrayList<>(); // {position, block id}
    private final List<Integer> trapPcs = new ArrayList<>();
    private final List<Integer> trapOffsets = new ArrayList<>();
    private final int[] useCount;
    /** Where an exception can arise (a throw, or a call inside a try region) and the handlers there: {pc, handler index in throwSiteHandlers}. */
    private final List<Integer> throwSitePcs = new ArrayList<>();
    private final List<Terminator.Handler[]> throwSiteHandlers = new ArrayList<>();
    /** The pc of the last call emitted (a Guarded block's call). */
    private int lastCallPc = -1;
    private final IntUnaryOperator frameBytes;
    /** The constant instruction defining each value, or null. */
    final Instruction[] constantDefs;

    private FunctionCompiler(Module module, IrFunction f, IntUnaryOperator frameBytes) {
        this.module = module;
        this.frameBytes = frameBytes;
        this.f = f;
        int n = f.valueCount();
        this.constantDefs = new Instruction[n];
        this.useCount = new int[n];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (isConstant(i.op)) constantDefs[i.result()] = i;
                for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); useCount[a]++; }
            }
            for (int v : b.terminator.operands()) useCount[v]++;
            for (Edge e : b.terminator.edges()) for (int a : e.args) useCount[a]++;
        }
        boolean[] slotless = slotlessConstants();
        int[] pre = new int[n];
        Arrays.fill(pre, Location.NONE);
        // parameters in slots 0.., a v128 in two
        int params = RawValues.slots(f.type().params());
        for (int i = 0, slot = 0; i < f.type().paramCount(); slot += RawValues.slots(f.type().param(i++))) {
            pre[f.entry().params[i]] = Location.slot(slot);
        }
        // constants with a slot: one each (two for a v128), equal ones shared
        Map<List<Long>, Integer> constSlot = new HashMap<>();
        List<Long> consts = new ArrayList<>();
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (!isConstant(i.op) || slotless[i.result()]) continue;
                List<Long> bits = i.op == Opcode.V128_CONST ? List.of(i.imm, i.imm2()) : List.of(i.op == Opcode.REF_NULL ? 0 : i.imm);
                Integer slot = constSlot.get(bits);
                if (slot == null) {
                    slot = params + consts.size();
                    constSlot.put(bits, slot);
                    consts.addAll(bits);
                }
                pre[i.result()] = Location.slot(slot);
            }
        }
        this.constants = consts.stream().mapToLong(Long::longValue).toArray();
        this.alloc = LinearScan.allocate(f, FrameSlotsOnly.INSTANCE, pre, params + constants.length, slotless);
        this.scratch = alloc.slotCount();
        // scratch, then where an OSR continuation's results land, then the header of this frame's
        // callee (InterpreterStack.HEADER: where a call saves what its return restores)
        this.frameSize = scratch + 1 + RawValues.slots(f.type().results()) + InterpreterStack.HEADER;
        this.blockPc = new int[f.blockIdCount()];
        this.layoutIndex = new int[f.blockIdCount()];
    }

    /** Constants every use of which takes them as an immediate or through {@link Op#CONST}: they need no slot. */
    private boolean[] slotlessConstants() {
        boolean[] slotless = new boolean[f.valueCount()];
        for (int v = 0; v < slotless.length; v++) slotless[v] = constantDefs[v] != null;
        for (BasicBlock b : f.blocks) {
            Instruction fused = fusableCompare(b);
            for (Instruction i : b.instructions) {
                if (isConstant(i.op)) continue;
                Immediates.Form form = i == fused ? fusedBranchForm(i) : Immediates.of(i, constantDefs);
                for (int k = 0; k < i.argCount(); k++) {
                    if (form == null || k == form.slotArg()) slotless[i.arg(k)] = false;
                }
            }
            for (int v : b.terminator.operands()) slotless[v] = false;
            for (Edge e : b.terminator.edges()) {
                for (int a : e.args) {
                    if (constantDefs[a] != null && Immediates.constValue(constantDefs[a], f.typeOf(a)) == null) slotless[a] = false;
                }
            }
        }
        return slotless;
    }

    /** The immediate form a fused branch on {@code cmp} takes whichever way it is emitted (inverted or not), or null. */
    private Immediates.Form fusedBranchForm(Instruction cmp) {
        if (cmp.op == Opcode.I32_AND) return Immediates.of(cmp, constantDefs);
        Immediates.Form a = branchForm(cmp.op, cmp.arg(0), cmp.arg(1));
        Immediates.Form b = branchForm(INVERSE.get(cmp.op), cmp.arg(0), cmp.arg(1));
        return a != null && b != null && a.slotArg() == b.slotArg() ? a : null;
    }

    /** The immediate form of a fused branch on {@code op a b}, or null (branch on two slots). */
    private Immediates.Form branchForm(Opcode op, int a, int b) {
        return Immediates.branch(op, a, b, constantDefs);
    }

    /** Builds, optimises, allocates and compiles a defined function of a validated module. */
    public static CompiledFunction compile(ValidatedModule vm, int funcIndex) {
        return compile(vm, funcIndex, InterpreterStack::frameBytes);
    }

    /**
     * {@link #compile(ValidatedModule, int)}, its frames counting as {@code frameBytes} of the most
     * values the function keeps over one call (what native code of the same function would take:
     * {@link dev.kiln.ir.code.Backend#frameBytes}).
     */
    public static CompiledFunction compile(ValidatedModule vm, int funcIndex, IntUnaryOperator frameBytes) {
        IrFunction f = Preparation.forInterpreter(vm, funcIndex);
        return new FunctionCompiler(vm.module(), f, frameBytes).emit();
    }

    /** Whether memory {@code m} is the one the dispatch loop accesses itself: memory 0, 32-bit. */
    private boolean fastMemory(int m) {
        return m == 0 && !module.memoryType(0).is64();
    }

    /** Whether {@code i} is a load or store the dispatch loop cannot make (another memory, a 64-bit one, an offset of 2^32 or more). */
    private boolean slowAccess(Instruction i) {
        return i.op.immediate == Immediate.MEMARG && (!fastMemory((int) (i.imm2() >>> 32)) || (i.imm >>> 32) != 0);
    }

    /** A memory operand of the MultiMemory ops: the index, and whether the memory is 64-bit. */
    private int memoryOperand(int m) {
        return m << 1 | (module.memoryType(m).is64() ? 1 : 0);
    }

    private static boolean isConstant(Opcode op) {
        return op == Opcode.I32_CONST || op == Opcode.I64_CONST || op == Opcode.F32_CONST || op == Opcode.F64_CONST
                || op == Opcode.V128_CONST || op == Opcode.REF_NULL;
    }

    /** The value's slot (the first of two for a v128). */
    int slot(int value) {
        int l = alloc.location(value);
        if (!Location.isSlot(l)) throw new IllegalStateException("v" + value + " has no slot");
        return Location.slotIndex(l);
    }

    /** Emits the slots of {@code values}: one each, two for a v128 (how calls and returns list them). */
    private void emitSlots(int[] values) {
        for (int v : values) {
            int s = slot(v);
            code.emit(s);
            if (f.typeOf(v) == ValType.V128) code.emit(s + 1);
        }
    }

    private int slotCount(int[] values) {
        int n = 0;
        for (int v : values) n += RawValues.slots(f.typeOf(v));
        return n;
    }

    void trapSite(int wasmOffset) {
        if (wasmOffset < 0) return;
        trapPcs.add(code.position());
        trapOffsets.add(wasmOffset);
    }

    private void target(BasicBlock b) {
        patches.add(new int[] {code.position(), b.id});
        code.emit(0);
    }

    /**
     * The most values a native frame of this function would keep over one call: constants do not
     * count (native code encodes them in its instructions); the function's own VMContext does when
     * a call may enter another instance (native code saves it in the frame then).
     */
    private int liveAcrossCall() {
        boolean[] constant = new boolean[f.valueCount()];
        for (BasicBlock b : f.blocks) for (Instruction i : b.instructions) if (isConstant(i.op)) constant[i.result()] = true;
        int vmContext = CallSignatures.anyMayCrossInstance(module, f) ? 1 : 0;
        return alloc.liveIntervals().maxLiveAcrossCall(v -> !constant[v]) + vmContext;
    }

    /**
     * Where a branch from block {@code from} to {@code to} may go instead: past blocks that only
     * jump on without moves, as long as the path crosses as many backward edges (loop back-edges,
     * counted for fuel and tier-up) as before.
     */
    private BasicBlock resolve(BasicBlock from, BasicBlock to) {
        for (int hops = 0; hops < 8; hops++) {
            if (!to.instructions.isEmpty() || !(to.terminator instanceof Terminator.Jump j) || !movesNothing(j.target)) break;
            BasicBlock x = j.target.target;
            int before = (backward(from, to) ? 1 : 0) + (backward(to, x) ? 1 : 0);
            if (x == to || before != (backward(from, x) ? 1 : 0)) break;
            to = x;
        }
        return to;
    }

    /** Whether binding the edge's arguments to its target's parameters moves nothing (each already in its slot). */
    private boolean movesNothing(Edge e) {
        for (int k = 0; k < e.argCount(); k++) {
            int to = alloc.location(e.target.params[k]);
            if (to != Location.NONE && to != alloc.location(e.arg(k))) return false;
        }
        return true;
    }

    /** Whether a jump from block {@code from} to {@code to} goes backward in the code. */
    private boolean backward(BasicBlock from, BasicBlock to) {
        return layoutIndex[to.id] <= layoutIndex[from.id];
    }

    private CompiledFunction emit() {
        List<BasicBlock> layout = f.blocks;
        return emit(layout);
    }

    private CompiledFunction emit(List<BasicBlock> layout) {
        for (int bi = 0; bi < layout.size(); bi++) layoutIndex[layout.get(bi).id] = bi;
        boolean[] reached = reached(layout);
        for (int bi = 0; bi < layout.size(); bi++) {
            BasicBlock b = layout.get(bi);
            if (!reached[b.id]) continue;
            int ni = bi + 1;
            while (ni < layout.size() && !reached[layout.get(ni).id]) ni++;
            BasicBlock next = ni < layout.size() ? layout.get(ni) : null;
            blockPc[b.id] = code.position();
            Instruction fusedCompare = fusableCompare(b);
            List<Instruction> body = new ArrayList<>(b.instructions.size());
            for (Instruction i : b.instructions) if (i != fusedCompare && !isConstant(i.op)) body.add(i);
            // an i32 add (or a subtraction of a constant) feeding the fused branch (a loop counter and its test) may join the branch
            Instruction add = body.isEmpty() ? null : body.get(body.size() - 1);
            if (add != null && (add.op == Opcode.I32_ADD || add.op == Opcode.I32_SUB && Immediates.of(add, constantDefs) != null)
                    && b.terminator instanceof Terminator.Branch br
                    && (fusedCompare == null ? br.condition == add.result() : fusedCompare.op != Opcode.I32_AND
                        && (fusedCompare.arg(0) == add.result() || fusedCompare.arg(1) == add.result()))) {
                body.remove(body.size() - 1);
            } else {
                add = null;
            }
            for (int k = 0; k < body.size(); k++) {
                if (k + 1 < body.size() && !slowAccess(body.get(k)) && !slowAccess(body.get(k + 1))
                        && Superinstructions.fuse(this, body.get(k), body.get(k + 1))) k++;
                else instruction(body.get(k));
            }
            terminator(b, next, fusedCompare, add);
        }
        int resultSlot = scratch + 1;
        int resultSlots = RawValues.slots(f.type().results());
        int osrReturnPc = code.position();
        code.emit(Op.RETURN, resultSlots);
        for (int k = 0; k < resultSlots; k++) code.emit(resultSlot + k);
        for (int[] p : patches) code.set(p[0], blockPc[p[1]]);
        int[] sites = new int[throwSitePcs.size()];
        int[][] handlers = new int[sites.length][];
        for (int s = 0; s < sites.length; s++) {
            sites[s] = throwSitePcs.get(s);
            Terminator.Handler[] hs = throwSiteHandlers.get(s);
            handlers[s] = new int[2 * hs.length];
            for (int h = 0; h < hs.length; h++) {
                handlers[s][2 * h] = hs[h].tag();
                handlers[s][2 * h + 1] = blockPc[hs[h].target().target.id];
            }
        }
        // OSR targets: the loop headers, where back-edges lead
        TreeMap<Integer, BasicBlock> targets = new TreeMap<>();
        BitSet headers = BackEdges.headers(f);
        for (BasicBlock b : layout) if (headers.get(b.id) && reached[b.id]) targets.put(blockPc[b.id], b);
        int[] osrTargets = new int[targets.size()], osrBlocks = new int[targets.size()];
        int[][] osrSlots = new int[targets.size()][];
        BlockLiveness liveness = targets.isEmpty() ? null : new BlockLiveness(f);
        int k = 0;
        for (Map.Entry<Integer, BasicBlock> e : targets.entrySet()) {
            osrTargets[k] = e.getKey();
            osrBlocks[k] = e.getValue().id;
            int[] values = OsrTransform.entryValues(f, e.getValue(), liveness);
            osrSlots[k] = new int[slotCount(values)];
            for (int j = 0, at = 0; j < values.length; j++) {
                osrSlots[k][at++] = slot(values[j]);
                if (f.typeOf(values[j]) == ValType.V128) osrSlots[k][at++] = slot(values[j]) + 1;
            }
            k++;
        }
        CompiledFunction compiled = new CompiledFunction(f.index, f.name, code.toArray(), constants, RawValues.slots(f.type().params()),
                resultSlots, frameSize, trapPcs.stream().mapToInt(Integer::intValue).toArray(),
                trapOffsets.stream().mapToInt(Integer::intValue).toArray(), osrTargets, osrBlocks, osrSlots, osrReturnPc,
                resultSlot, module.body(f.index).codeStart(), frameBytes.applyAsInt(liveAcrossCall()));
        compiled.throwSites = sites; // emitted in ascending pc order
        compiled.handlers = handlers;
        return compiled;

    }

    /**
     * The blocks some emitted branch, jump, switch or handler leads to (the first block too): once
     * conditional branches are threaded past empty blocks ({@link #resolve}), the empty blocks they
     * skipped are reached from nowhere and are left out of the code, so that a branch's fall-through
     * is the next block that is emitted (no jump to the very next instruction, none left dead).
     */
    private boolean[] reached(List<BasicBlock> layout) {
        boolean[] reached = new boolean[f.blockIdCount()];
        reached[layout.get(0).id] = true;
        reached[f.entry().id] = true;
        for (BasicBlock b : layout) {
            if (b.terminator instanceof Terminator.Branch br) {
                reached[(br.ifTrue.argCount() == 0 ? resolve(b, br.ifTrue.target) : br.ifTrue.target).id] = true;
                reached[(br.ifFalse.argCount() == 0 ? resolve(b, br.ifFalse.target) : br.ifFalse.target).id] = true;
            } else {
                for (Edge e : b.terminator.edges()) reached[e.target.id] = true;
            }
        }
        return reached;
    }

    /** The block's last instruction when it is an i32 or f64 ordering comparison (or a bit test, {@code x & k}) used only by the block's branch. */
    private Instruction fusableCompare(BasicBlock b) {
        if (!(b.terminator instanceof Terminator.Branch br) || b.instructions.isEmpty()) return null;
        Instruction last = b.instructions.get(b.instructions.size() - 1);
        boolean bitTest = last.op == Opcode.I32_AND && Immediates.of(last, constantDefs) != null; // x & k, a constant k
        if (!(FUSED.containsKey(last.op) || Superinstructions.floatBranch(last.op) != null || bitTest) || last.result() != br.condition || useCount[br.condition] != 1) return null;
        return last;
    }

    private void instruction(Instruction i) {
        Opcode op = i.op;
        Integer direct = DIRECT.get(op);
        int memOffset = (int) i.imm;
        if (slowAccess(i) && !op.isSimd()) { // SIMD accesses: simd() says which it executes
            trapSite(i.wasmOffset);
            int mem = memoryOperand((int) (i.imm2() >>> 32));
            if (op.resultCount() == 1) code.emit(Op.MEM_LOAD, slot(i.result()), slot(i.arg(0)), mem, op.ordinal(), (int) i.imm, (int) (i.imm >>> 32));
            else code.emit(Op.MEM_STORE, slot(i.arg(1)), slot(i.arg(0)), mem, op.ordinal(), (int) i.imm, (int) (i.imm >>> 32));
            return;
        }
        Immediates.Form form = Immediates.of(i, constantDefs);
        if (form != null) {
            trapSite(i.wasmOffset);
            code.emit(form.opcode(), slot(i.result()), slot(i.arg(form.slotArg())), form.imm());
            return;
        }
        Integer swapped = SWAPPED.get(op);
        if (swapped != null) {
            code.emit(swapped, slot(i.result()), slot(i.arg(1)), slot(i.arg(0)));
            return;
        }
        if (direct != null) {
            trapSite(i.wasmOffset);
            switch (op.immediate) {
                case MEMARG -> {
                    if (op.resultCount() == 1) code.emit(direct, slot(i.result()), slot(i.arg(0)), memOffset);
                    else code.emit(direct, slot(i.arg(1)), slot(i.arg(0)), memOffset); // value, address
                }
                default -> {
                    if (i.argCount() == 1) {
                        code.emit(direct, slot(i.result()), slot(i.arg(0)));
                        if (Op.length(direct) == 4) code.emit(0); // every value-computing CORE instruction has length 4
                    } else {
                        code.emit(direct, slot(i.result()), slot(i.arg(0)), slot(i.arg(1)));
                    }
                }
            }
            return;
        }
        if (op.isSimd()) {
            trapSite(i.wasmOffset);
            simd(i);
            return;
        }
        if (Numerics.isScalarNumeric(op)) {
            trapSite(i.wasmOffset);
            if (i.argCount() == 1) code.emit(Op.GENERIC1, op.ordinal(), slot(i.result()), slot(i.arg(0)));
            else code.emit(Op.GENERIC2, op.ordinal(), slot(i.result()), slot(i.arg(0)), slot(i.arg(1)));
            return;
        }
        trapSite(i.wasmOffset);
        switch (op) {
            case SELECT -> code.emit(f.typeOf(i.result()) == ValType.V128 ? Op.V128_SELECT : Op.SELECT,
                    slot(i.result()), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            case GLOBAL_GET -> {
                ValType t = module.globalType((int) i.imm).type();
                if (t == ValType.V128) code.emit(Op.GLOBAL_GET_128, slot(i.result()), (int) i.imm);
                else code.emit(is32(t) ? Op.GLOBAL_GET_32 : Op.GLOBAL_GET_64, slot(i.result()), (int) i.imm, 0);
            }
            case GLOBAL_SET -> {
                ValType t = module.globalType((int) i.imm).type();
                code.emit(t == ValType.V128 ? Op.GLOBAL_SET_128 : is32(t) ? Op.GLOBAL_SET_32 : Op.GLOBAL_SET_64,
                        (int) i.imm, slot(i.arg(0)));
            }
            case CALL -> { // argument and result counts in slots (a v128 takes two)
                lastCallPc = code.position();
                code.emit(Op.CALL, (int) i.imm, slotCount(i.args()), slotCount(i.results()));
                emitSlots(i.args());
                emitSlots(i.results());
            }
            case CALL_INDIRECT, CALL_REF -> {
                int[] params = Arrays.copyOf(i.args(), i.argCount() - 1); // the element index or the reference comes last
                lastCallPc = code.position();
                code.emit(op == Opcode.CALL_REF ? Op.CALL_REF : Op.CALL_INDIRECT, (int) i.imm, slotCount(params), slotCount(i.results()));
                emitSlots(params);
                emitSlots(i.results());
                code.emit((int) i.imm2(), slot(i.arg(params.length)));
            }
            case REF_IS_NULL -> code.emit(Op.REF_IS_NULL, slot(i.result()), slot(i.arg(0)));
            case REF_FUNC -> code.emit(Op.REF_FUNC, slot(i.result()), (int) i.imm);
            case MEMORY_SIZE -> {
                if (fastMemory((int) i.imm)) code.emit(Op.MEMORY_SIZE, slot(i.result()));
                else code.emit(Op.MEMORY_SIZE_M, slot(i.result()), memoryOperand((int) i.imm));
            }
            case MEMORY_GROW -> {
                if (fastMemory((int) i.imm)) code.emit(Op.MEMORY_GROW, slot(i.result()), slot(i.arg(0)));
                else code.emit(Op.MEMORY_GROW_M, slot(i.result()), memoryOperand((int) i.imm), slot(i.arg(0)));
            }
            case MEMORY_FILL -> {
                if (fastMemory((int) i.imm)) code.emit(Op.MEMORY_FILL, slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
                else code.emit(Op.MEMORY_FILL_M, memoryOperand((int) i.imm), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            }
            case MEMORY_COPY -> {
                if (fastMemory((int) i.imm) && fastMemory((int) i.imm2())) code.emit(Op.MEMORY_COPY, slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
                else code.emit(Op.MEMORY_COPY_M, memoryOperand((int) i.imm), memoryOperand((int) i.imm2()), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            }
            case MEMORY_INIT -> {
                if (fastMemory((int) i.imm2())) code.emit(Op.MEMORY_INIT, (int) i.imm, slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
                else code.emit(Op.MEMORY_INIT_M, (int) i.imm, memoryOperand((int) i.imm2()), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            }
            case DATA_DROP -> code.emit(Op.DATA_DROP, (int) i.imm);
            case TABLE_GET -> code.emit(Op.TABLE_GET, slot(i.result()), (int) i.imm, slot(i.arg(0)));
            case TABLE_SET -> code.emit(Op.TABLE_SET, (int) i.imm, slot(i.arg(0)), slot(i.arg(1)));
            case TABLE_SIZE -> code.emit(Op.TABLE_SIZE, slot(i.result()), (int) i.imm);
            case TABLE_GROW -> code.emit(Op.TABLE_GROW, slot(i.result()), (int) i.imm, slot(i.arg(0)), slot(i.arg(1)));
            case TABLE_FILL -> code.emit(Op.TABLE_FILL, (int) i.imm, slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            case TABLE_COPY -> code.emit(Op.TABLE_COPY, (int) i.imm, (int) i.imm2(), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            case TABLE_INIT -> code.emit(Op.TABLE_INIT, (int) i.imm, (int) i.imm2(), slot(i.arg(0)), slot(i.arg(1)), slot(i.arg(2)));
            case ELEM_DROP -> code.emit(Op.ELEM_DROP, (int) i.imm);
            case CATCH -> {
                boolean withRef = i.imm2() == 1;
                int n = i.resultCount() - (withRef ? 1 : 0);
                int[] payload = Arrays.copyOf(i.results(), n);
                code.emit(Op.CATCH, slotCount(payload), withRef ? slotOrScratch(i.result(n)) : -1); // the payload in slots
                for (int v : payload) {
                    int at = slotOrScratch(v);
                    code.emit(at);
                    if (f.typeOf(v) == ValType.V128) code.emit(at == scratch ? scratch : at + 1);
                }
            }
            default -> {
                if (op.feature != WasmFeature.GC) throw new UnsupportedFeatureException("the interpreter cannot execute " + op);
                code.emit(Op.GC, op.ordinal(), (int) i.imm, (int) i.imm2(), i.argCount(), i.resultCount());
                for (int kV = 0; kV < i.argCount(); kV++) { int v = i.arg(kV); code.emit(slot(v)); }
                for (int v : i.results()) code.emit(slotOrScratch(v));
            }
        }
    }

    /** The value's slot, or the scratch slot for a value nothing reads (it got none). */
    private int slotOrScratch(int value) {
        int l = alloc.location(value);
        return Location.isSlot(l) ? Location.slotIndex(l) : scratch;
    }

    /** Records that an exception can arise at {@code pc}, with the handlers that apply there. */
    private void throwSite(int pc, Terminator.Handler[] handlers) {
        if (handlers.length == 0) return;
        throwSitePcs.add(pc);
        throwSiteHandlers.add(handlers);
    }

    private static boolean is32(ValType t) {
        return t == ValType.I32 || t == ValType.F32;
    }

    /** A SIMD instruction: one of the interpreter's SIMD opcodes, with the Wasm opcode where it needs it. */
    private void simd(Instruction i) {
        Opcode op = i.op;
        int ord = op.ordinal();
        switch (op.immediate) {
            case MEMARG -> {
                int mem = memoryOperand((int) (i.imm2() >>> 32)), offLo = (int) i.imm, offHi = (int) (i.imm >>> 32);
                if (op == Opcode.V128_STORE) code.emit(Op.V128_STORE, slot(i.arg(0)), slot(i.arg(1)), mem, offLo, offHi);
                else code.emit(Op.V128_LOAD, ord, slot(i.result()), slot(i.arg(0)), mem, offLo, offHi);
            }
            case MEMARG_LANE -> {
                int mem = memoryOperand((int) (i.imm2() >>> 32)), offLo = (int) i.imm, offHi = (int) (i.imm >>> 32);
                if (op.resultCount() == 0) code.emit(Op.V128_STORE_LANE, ord, slot(i.arg(0)), slot(i.arg(1)), mem, offLo, offHi, (int) i.imm2());
                else code.emit(Op.V128_LOAD_LANE, ord, slot(i.result()), slot(i.arg(0)), slot(i.arg(1)), mem, offLo, offHi, (int) i.imm2());
            }
            case LANE -> code.emit(Op.SIMD_LANE, ord, slot(i.result()), slot(i.arg(0)), i.argCount() > 1 ? slot(i.arg(1)) : 0,
                    (int) i.imm);
            case SHUFFLE -> code.emit(Op.SIMD_SHUFFLE, slot(i.result()), slot(i.arg(0)), slot(i.arg(1)), (int) i.imm,
                    (int) (i.imm >>> 32), (int) i.imm2(), (int) (i.imm2() >>> 32));
            default -> code.emit(Op.SIMD, ord, slot(i.result()), slot(i.arg(0)), i.argCount() > 1 ? slot(i.arg(1)) : 0,
                    i.argCount() > 2 ? slot(i.arg(2)) : 0);
        }
    }

    /**
     * Emits the block's terminator. {@code add}, when not null, is the block's last instruction, an
     * i32 add whose result {@code fusedCompare} reads: it is emitted here, joined with the branch
     * where a superinstruction has the pair's shape ({@link Superinstructions#addAndBranch}), else before it.
     */
    private void terminator(BasicBlock b, BasicBlock next, Instruction fusedCompare, Instruction add) {
        switch (b.terminator) {
            case Terminator.Jump j -> {
                int last = moves(j.target);
                if (j.target.target != next) {
                    // the last move and the jump as one instruction
                    if (last >= 0 && last + 3 == code.position() && code.get(last) == Op.MOV) code.set(last, Op.MOV_JMP);
                    else if (last >= 0 && last + 3 == code.position() && code.get(last) == Op.CONST) code.set(last, Op.CONST_JMP);
                    else code.emit(Op.JMP);
                    target(j.target.target);
                }
            }
            case Terminator.Branch br -> {
                BasicBlock t = br.ifTrue.target, fl = br.ifFalse.target;
                if (br.ifTrue.argCount() == 0) t = resolve(b, t);
                if (br.ifFalse.argCount() == 0) fl = resolve(b, fl);
                // branch on the inverted condition when the true target follows, or when the false
                // target is a loop's back-edge (an iteration then runs one branch, not two)
                boolean invert = t == next || (fl != next && backward(b, fl) && !backward(b, t));
                BasicBlock taken = invert ? fl : t, other = invert ? t : fl;
                if (fusedCompare != null && fusedCompare.op == Opcode.I32_AND) {
                    Immediates.Form form = Immediates.of(fusedCompare, constantDefs);
                    code.emit(invert ? Op.BR_AND_Z : Op.BR_AND_NZ, slot(fusedCompare.arg(form.slotArg())), form.imm());
                } else if (fusedCompare != null && Superinstructions.floatBranch(fusedCompare.op) != null) {
                    if (add != null) instruction(add);
                    Superinstructions.FloatBranch fb = Superinstructions.floatBranch(fusedCompare.op);
                    int x = fusedCompare.arg(fb.swapped() ? 1 : 0), y = fusedCompare.arg(fb.swapped() ? 0 : 1);
                    code.emit(invert ? fb.whenFalse() : fb.whenTrue(), slot(x), slot(y));
                } else if (fusedCompare != null) {
                    Opcode cmp = invert ? INVERSE.get(fusedCompare.op) : fusedCompare.op;
                    int x = fusedCompare.arg(0), y = fusedCompare.arg(1);
                    Immediates.Form form = fusedBranchForm(fusedCompare) == null ? null : branchForm(cmp, x, y);
                    boolean joined = add != null && form != null && (form.slotArg() == 0 ? x : y) == add.result() && Superinstructions.addAndBranch(this, add, form);
                    if (add != null && !joined) instruction(add);
                    if (joined) {
                        // the add and the compare-and-branch are one instruction, its target next
                    } else if (form != null) code.emit(form.opcode(), slot(form.slotArg() == 0 ? x : y), form.imm());
                    else if (SWAPPED.containsKey(cmp)) code.emit(FUSED.get(cmp), slot(y), slot(x));
                    else code.emit(FUSED.get(cmp), slot(x), slot(y));
                } else {
                    Immediates.Form test = new Immediates.Form(invert ? Op.BR_I32_EQ_IMM : Op.BR_I32_NE_IMM, 0, 0);
                    boolean joined = add != null && Superinstructions.addAndBranch(this, add, test);
                    if (add != null && !joined) instruction(add);
                    if (!joined) code.emit(test.opcode(), slot(br.condition), 0);
                }
                target(taken);
                if (other != next) {
                    code.emit(Op.JMP);
                    target(other);
                }
            }
            case Terminator.Switch s -> {
                code.emit(Op.BR_TABLE, slot(s.index), s.targets.length);
                for (Edge e : s.targets) target(e.target);
                target(s.defaultTarget.target);
            }
            case Terminator.Return r -> {
                code.emit(Op.RETURN, slotCount(r.values));
                emitSlots(r.values);
            }
            case Terminator.Trap t -> {
                trapSite(t.wasmOffset);
                code.emit(Op.TRAP, t.kind.code, t.wasmOffset);
            }
            case Terminator.ReturnCall rc -> {
                Instruction call = rc.call;
                trapSite(call.wasmOffset);
                int[] params = call.op == Opcode.CALL ? call.args() : Arrays.copyOf(call.args(), call.argCount() - 1);
                int op = call.op == Opcode.CALL ? Op.RETURN_CALL
                        : call.op == Opcode.CALL_REF ? Op.RETURN_CALL_REF : Op.RETURN_CALL_INDIRECT;
                code.emit(op, (int) call.imm, slotCount(params), 0); // in slots (a v128 takes two)
                emitSlots(params);
                if (call.op != Opcode.CALL) code.emit((int) call.imm2(), slot(call.arg(params.length)));
            }
            case Terminator.Throw th -> {
                Instruction i = th.instruction;
                trapSite(i.wasmOffset);
                throwSite(code.position(), th.handlers);
                if (i.op == Opcode.THROW_REF) {
                    code.emit(Op.THROW_REF, slot(i.arg(0)));
                } else {
                    code.emit(Op.THROW, (int) i.imm, slotCount(i.args())); // the payload in slots (a v128 takes two)
                    emitSlots(i.args());
                }
            }
            case Terminator.Guarded g -> {
                Instruction last = b.instructions.isEmpty() ? null : b.instructions.get(b.instructions.size() - 1);
                if (last == null || (last.op != Opcode.CALL && last.op != Opcode.CALL_INDIRECT && last.op != Opcode.CALL_REF)) {
                    throw new IllegalStateException("block " + b.id + " ends in a guarded region without a call");
                }
                throwSite(lastCallPc, g.handlers);
                moves(g.normal);
                if (g.normal.target != next) {
                    code.emit(Op.JMP);
                    target(g.normal.target);
                }
            }
            default -> throw new UnsupportedFeatureException("the interpreter cannot execute " + b.terminator.getClass().getSimpleName());
        }
    }

    /**
     * Binds the target's parameters: a parallel move from the argument slots (two moves per
     * {@link Op#MOV2}), then {@link Op#CONST} for constant arguments without a slot (no move
     * reads a parameter slot after it is written, so they can come last). Returns the position of
     * the last instruction emitted, or -1 when none was.
     */
    private int moves(Edge e) {
        int last = -1;
        if (e.argCount() == 0) return last;
        List<ParallelMoves.Move> parallel = new ArrayList<>(e.argCount());
        List<int[]> consts = new ArrayList<>();
        for (int k = 0; k < e.argCount(); k++) {
            int to = alloc.location(e.target.params[k]);
            if (to == Location.NONE) continue;
            int from = alloc.location(e.arg(k));
            if (from == Location.NONE) {
                consts.add(new int[] {Location.slotIndex(to), Immediates.constValue(constantDefs[e.arg(k)], f.typeOf(e.arg(k)))});
            } else {
                // slot by slot: a v128 moves as its two halves, so a v128 and a scalar whose slots overlap are ordered right
                parallel.add(new ParallelMoves.Move(from, to, ValType.I64));
                if (f.typeOf(e.arg(k)) == ValType.V128) {
                    parallel.add(new ParallelMoves.Move(Location.slot(Location.slotIndex(from) + 1),
                            Location.slot(Location.slotIndex(to) + 1), ValType.I64));
                }
            }
        }
        List<ParallelMoves.Move> seq = ParallelMoves.sequence(parallel, t -> Location.slot(scratch));
        for (int k = 0; k < seq.size(); k += 2) {
            ParallelMoves.Move m = seq.get(k);
            if (k + 1 < seq.size()) {
                ParallelMoves.Move m2 = seq.get(k + 1);
                last = code.position();
                code.emit(Op.MOV2, Location.slotIndex(m.to()), Location.slotIndex(m.from()),
                        Location.slotIndex(m2.to()), Location.slotIndex(m2.from()));
            } else {
                last = code.position();
                code.emit(Op.MOV, Location.slotIndex(m.to()), Location.slotIndex(m.from()));
            }
        }
        for (int[] c : consts) {
            last = code.position();
            code.emit(Op.CONST, c[0], c[1]);
        }
        return last;
    }
}
