package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.Body;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.Expr.*;
import dev.kiln.tests.fuzz.wasm.FuncSig;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.GcSlots;
import dev.kiln.tests.fuzz.wasm.GlobalDef;
import dev.kiln.tests.fuzz.wasm.Label;
import dev.kiln.tests.fuzz.wasm.LaneOp;
import dev.kiln.tests.fuzz.wasm.MemOp;
import dev.kiln.tests.fuzz.wasm.NumType;
import dev.kiln.tests.fuzz.wasm.NumericOp;
import dev.kiln.tests.fuzz.wasm.SimdOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Generates one function body, type-directed: every production is asked for a value of a type
 * (or a statement) and builds a tree that validates by construction. Termination is by
 * construction too: loops only branch back through {@link BackEdge}, direct calls go to
 * lower-numbered functions only and within a cost budget ({@link #MAX_COST} node evaluations,
 * loop trip counts multiplied in), and any call that could recurse is a {@link FuelGuard}.
 */
final class FunctionGenerator {
    /** Upper bound on node evaluations of one call, guarded calls not counted (fuel bounds those). */
    static final long MAX_COST = 20_000;
    private static final int MAX_DEPTH = 7;

    private final Random r;
    private final ModulePlan plan;
    private final int self;
    private final long[] costs;
    private final FuncSig sig;
    private final List<NumType> locals = new ArrayList<>();
    /** Locals that random code may read and write (parameters, declared locals, spill locals). */
    private final List<Integer> userLocals = new ArrayList<>();
    private final Deque<Label> labels = new ArrayDeque<>();
    private int nextLabel;
    private int budget;
    private int depth;
    private long multiplier = 1;
    private long cost;

    FunctionGenerator(Random r, ModulePlan plan, int self, long[] costs, int budget) {
        this.r = r;
        this.plan = plan;
        this.self = self;
        this.costs = costs;
        this.sig = plan.functionSig(self);
        this.budget = budget;
        for (int i = 0; i < sig.params().size(); i++) userLocals.add(i);
    }

    FuzzFunction generate() {
        int declared = r.nextInt(7);
        for (int i = 0; i < declared; i++) userLocals.add(newLocal(pickType()));
        List<Expr> statements = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) statements.add(statement());
        Body body = new Body(statements, List.of(), values(sig.results(), false));
        int f32 = newLocal(NumType.F32), f64 = newLocal(NumType.F64), v128 = newLocal(NumType.V128);
        return new FuzzFunction(plan.functionTypes().get(self), sig, locals, f32, f64, v128, body);
    }

    /** Estimated node evaluations of one call (at least 1). */
    long cost() {
        return Math.max(1, cost);
    }

    private int newLocal(NumType t) {
        locals.add(t);
        return sig.params().size() + locals.size() - 1;
    }

    private NumType localType(int index) {
        int p = sig.params().size();
        return index < p ? sig.params().get(index) : locals.get(index - p);
    }

    private NumType pickType() {
        List<NumType> types = plan.simd() ? NumType.NUMBERS_AND_VECTORS : NumType.SCALARS;
        return types.get(r.nextInt(types.size()));
    }

    private boolean exhausted() {
        return budget <= 0 || depth >= MAX_DEPTH;
    }

    // ---- values ----

    Expr value(NumType t) {
        budget--;
        cost += multiplier;
        if (t == NumType.EXNREF) return exnref();
        if (exhausted()) return leaf(t);
        depth++;
        try {
            boolean mem = plan.memory() != null;
            boolean vector = t == NumType.V128;
            return new Weighted<Expr>()
                    .add(2, () -> leaf(t))
                    .addIf(!vector, 7, () -> numeric(t))
                    .addIf(plan.simd(), vector ? 8 : 0.8, () -> simd(t))
                    .addIf(mem, 2, () -> load(t))
                    .addIf(mem && vector, 0.7, this::loadLane)
                    .addIf(mem && !memoriesOf(t).isEmpty(), 0.5, () -> {
                        int m = pick(memoriesOf(t));
                        return new MemorySize(m, is64(m));
                    })
                    .addIf(mem && !memoriesOf(t).isEmpty(), 0.5, () -> {
                        int m = pick(memoriesOf(t));
                        return new MemoryGrow(growDelta(m), m, is64(m));
                    })
                    .add(1, () -> new Select(value(t), value(t), value(NumType.I32), t.isFloat() ? r.nextBoolean() : r.nextInt(4) == 0))
                    .addIf(!localsOf(t).isEmpty(), 1, () -> new LocalTee(pick(localsOf(t)), value(t)))
                    .add(1, () -> block(List.of(t)))
                    .add(1, () -> ifElse(List.of(t)))
                    .add(0.7, () -> loop(List.of(t)))
                    .addIf(!directCallees(List.of(t)).isEmpty(), 1.5, () -> directCall(List.of(t)))
                    .addIf(plan.fuelGlobal() >= 0, 1, () -> guardedCall(List.of(t)))
                    .addIf(plan.fuelGlobal() >= 0, 0.4, () -> guardedTailCall(List.of(t)))
                    .addIf(!branchTargets(List.of(t)).isEmpty(), 0.7, () -> new BrIf(pick(branchTargets(List.of(t))),
                            values(List.of(t), false), value(NumType.I32)))
                    .add(0.3, () -> polymorphic(List.of(t)))
                    .addIf(exceptions(), 1.2, () -> tryTable(List.of(t)))
                    .addIf(exceptions(), 0.3, () -> raise(List.of(t)))
                    .addIf(plan.gc() && !gcReads(t).isEmpty(), 1.5, () -> gcRead(t))
                    .addIf(plan.gc() && t == NumType.I32, 0.3, () -> new GcTest(r.nextInt(GcSlots.COUNT)))
                    .pick(r);
        } finally {
            depth--;
        }
    }

    /** Values of {@code ts} in order, sometimes several from one multi-value expression. */
    List<Expr> values(List<NumType> ts, boolean observed) {
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < ts.size(); ) {
            int left = ts.size() - i;
            if (left >= 2 && !exhausted() && r.nextInt(4) == 0) {
                List<NumType> chunk = ts.subList(i, i + 2 + r.nextInt(Math.min(left, 3) - 1));
                if (!observed || chunk.stream().noneMatch(NumType::isFloat)) {
                    out.add(multiValue(chunk));
                    i += chunk.size();
                    continue;
                }
            }
            out.add(value(ts.get(i)));
            i++;
        }
        return out;
    }

    private Expr multiValue(List<NumType> ts) {
        budget--;
        return new Weighted<Expr>()
                .add(1, () -> block(ts))
                .add(1, () -> ifElse(ts))
                .addIf(!directCallees(ts).isEmpty(), 2, () -> directCall(ts))
                .addIf(plan.fuelGlobal() >= 0, 1, () -> guardedCall(ts))
                .addIf(exceptions(), 1, () -> tryTable(ts))
                .pick(r);
    }

    private Expr leaf(NumType t) {
        List<Integer> ls = localsOf(t);
        List<Integer> gs = globalsOf(t, false);
        if (t == NumType.V128) {
            long[] v = EdgeValues.v128(r);
            return new Weighted<Expr>()
                    .add(3, () -> new Const(t, v[0], v[1]))
                    .addIf(!ls.isEmpty(), 3, () -> new LocalGet(pick(ls), t))
                    .addIf(!gs.isEmpty(), 1, () -> new GlobalGet(pick(gs), t))
                    .pick(r);
        }
        return new Weighted<Expr>()
                .add(3, () -> new Const(t, EdgeValues.of(t, r)))
                .addIf(!ls.isEmpty(), 3, () -> new LocalGet(pick(ls), t))
                .addIf(!gs.isEmpty(), 1, () -> new GlobalGet(pick(gs), t))
                .pick(r);
    }

    private Expr numeric(NumType t) {
        List<NumericOp> ops = Arrays.stream(NumericOp.values()).filter(o -> o.result == t).toList();
        NumericOp op = pick(ops);
        List<Expr> operands = new ArrayList<>();
        for (NumType o : op.operands) operands.add(value(o));
        if (DIVISIONS.contains(op) && r.nextInt(4) != 0) operands.set(1, nonZero(operands.get(1)));
        return new Numeric(op, operands);
    }

    /** A SIMD operation with result {@code t}: lane immediates in range, shuffle patterns over both operands. */
    private Expr simd(NumType t) {
        List<SimdOp> ops = SimdOp.ALL.stream().filter(o -> o.result() == t).toList();
        SimdOp op = pick(ops);
        List<Expr> operands = new ArrayList<>();
        for (NumType o : op.operands()) operands.add(value(o));
        long imm = 0, imm2 = 0;
        if (op.isShuffle()) {
            boolean narrow = r.nextInt(3) == 0; // a pattern within one operand, or of a shape the backends lower specially
            int[] withZero = r.nextInt(4) == 0 ? zeroShuffle(operands) : null;
            for (int k = 0; k < 16; k++) {
                long lane = withZero != null ? withZero[k] : narrow ? (r.nextBoolean() ? k : r.nextInt(16)) : r.nextInt(32);
                if (k < 8) imm |= lane << (8 * k);
                else imm2 |= lane << (8 * (k - 8));
            }
        } else if (op.lanes() > 0) {
            imm = r.nextInt(op.lanes());
        }
        return new Simd(op, operands, imm, imm2);
    }

    /**
     * A shuffle with {@code v128.const 0} as one operand (clang's widening): one of the shapes
     * x86-64 lowers as one instruction (zero extension, interleave with zero, byte shift), sometimes
     * with a lane changed; the lanes taken from zero at any index into it.
     */
    private int[] zeroShuffle(List<Expr> operands) {
        int zeroSide = r.nextInt(2), xBase = 16 * (1 - zeroSide), zBase = 16 * zeroSide;
        operands.set(zeroSide, new Const(NumType.V128, 0, 0));
        int[] lanes = new int[16];
        int size = 1 << r.nextInt(4), shape = r.nextInt(3), half = r.nextInt(2), shift = 1 + r.nextInt(15);
        int factor = size == 8 ? 2 : 2 << r.nextInt(Integer.numberOfTrailingZeros(16 / size) - 1);
        for (int k = 0; k < 16; k++) {
            int element = k / size, fromX; // byte of x lane k takes, or -1 for zero
            switch (shape) {
                case 0 -> fromX = k % (size * factor) < size && size * factor <= 8 ? (k / (size * factor)) * size + k % size : -1;
                case 1 -> fromX = element % 2 == zeroSide ? (element / 2 + half * (8 / size)) * size + k % size : -1;
                default -> fromX = half == 0 ? (k + shift < 16 ? k + shift : -1) : (k >= shift ? k - shift : -1);
            }
            lanes[k] = fromX >= 0 ? xBase + fromX : zBase + r.nextInt(16);
        }
        if (r.nextInt(4) == 0) lanes[r.nextInt(16)] = r.nextInt(32); // near a shape: the general single pshufb
        return lanes;
    }

    private Expr loadLane() {
        List<LaneOp> ops = Arrays.stream(LaneOp.values()).filter(o -> !o.store).toList();
        LaneOp op = pick(ops);
        int m = memory();
        return new LoadLane(op, r.nextInt(op.maxAlignLog2() + 1), offset(m), r.nextInt(op.lanes()), address(op.width, m),
                value(NumType.V128), m);
    }

    private Expr storeLane() {
        List<LaneOp> ops = Arrays.stream(LaneOp.values()).filter(o -> o.store).toList();
        LaneOp op = pick(ops);
        int m = memory();
        return new StoreLane(op, r.nextInt(op.maxAlignLog2() + 1), offset(m), r.nextInt(op.lanes()), address(op.width, m),
                value(NumType.V128), m);
    }

    private static final List<NumericOp> DIVISIONS = List.of(NumericOp.I32_DIV_S, NumericOp.I32_DIV_U, NumericOp.I32_REM_S,
            NumericOp.I32_REM_U, NumericOp.I64_DIV_S, NumericOp.I64_DIV_U, NumericOp.I64_REM_S, NumericOp.I64_REM_U);

    /** {@code x | 1}: most divisors are kept from zero, so that code after a division runs too. */
    private static Expr nonZero(Expr x) {
        boolean i32 = x.types().get(0) == NumType.I32;
        return new Numeric(i32 ? NumericOp.I32_OR : NumericOp.I64_OR, List.of(x, new Const(i32 ? NumType.I32 : NumType.I64, 1)));
    }

    private Expr load(NumType t) {
        List<MemOp> ops = Arrays.stream(MemOp.values()).filter(o -> !o.store && o.type == t).toList();
        MemOp op = pick(ops);
        int m = memory();
        return new Load(op, r.nextInt(op.maxAlignLog2() + 1), offset(m), address(op.width, m), m);
    }

    private Expr polymorphic(List<NumType> claimed) {
        List<Label> targets = branchTargets(null);
        return new Weighted<Expr>()
                .addIf(!targets.isEmpty(), 2, () -> {
                    Label l = pick(targets);
                    return new Br(l, values(l.types(), false), claimed);
                })
                .addIf(!targets.isEmpty(), 2, () -> brTable(claimed))
                .add(1.5, () -> new Return(values(sig.results(), false), claimed))
                .add(0.5, () -> new Unreachable(claimed))
                .pick(r);
    }

    private Expr brTable(List<NumType> claimed) {
        Label first = pick(branchTargets(null));
        List<Label> same = branchTargets(first.types());
        List<Label> targets = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? 5 + r.nextInt(40) : r.nextInt(5); // sometimes enough for a jump table
        for (int i = 0; i < n; i++) targets.add(pick(same));
        Expr index = r.nextBoolean() ? new Const(NumType.I32, r.nextInt(n + 2) - (r.nextInt(8) == 0 ? 1 : 0))
                : r.nextBoolean() ? new Numeric(NumericOp.I32_REM_U, List.of(value(NumType.I32), new Const(NumType.I32, n + 1)))
                : value(NumType.I32);
        return new BrTable(targets, pick(same), values(first.types(), false), index, claimed);
    }

    // ---- statements ----

    Expr statement() {
        budget--;
        cost += multiplier;
        if (exhausted()) {
            return r.nextBoolean() || userLocals.isEmpty() ? new Drop(leaf(pickType())) : localSet();
        }
        depth++;
        try {
            boolean mem = plan.memory() != null;
            int segments = mem ? plan.memory().data().size() : 0;
            List<Integer> writableGlobals = globalsOf(null, true);
            boolean inLoop = labels.stream().anyMatch(l -> l.kind() == Label.Kind.LOOP);
            return new Weighted<Expr>()
                    .addIf(!userLocals.isEmpty(), 3, this::localSet)
                    .addIf(!writableGlobals.isEmpty(), 1.5, () -> {
                        int g = pick(writableGlobals);
                        return new GlobalSet(g, value(plan.globals().get(g).type()));
                    })
                    .addIf(mem, 3, this::store)
                    .addIf(mem && plan.simd(), 0.5, this::storeLane)
                    .add(1, () -> new Drop(value(pickType())))
                    .addIf(mem, 0.5, () -> {
                        int m = memory();
                        return new MemoryFill(address(1, m), value(NumType.I32), length(is64(m)), m);
                    })
                    .addIf(mem, 0.5, () -> {
                        int d = memory(), from = memory();
                        return new MemoryCopy(address(1, d), address(1, from), length(is64(d) && is64(from)), d, from);
                    })
                    .addIf(segments > 0, 0.5, this::memoryInit)
                    .addIf(segments > 0, 0.15, () -> new DataDrop(r.nextInt(segments)))
                    .add(0.2, Nop::new)
                    .add(1, () -> block(List.of()))
                    .add(1, () -> ifElse(List.of()))
                    .add(1.2, () -> loop(List.of()))
                    .add(0.5, () -> dropAll(multiValue(randomTypes(1, 3))))
                    .addIf(!branchTargets(null).isEmpty(), 1, () -> {
                        Label l = pick(branchTargets(null));
                        return dropAll(new BrIf(l, values(l.types(), false), value(NumType.I32)));
                    })
                    .addIf(inLoop, 1.5, this::backEdge)
                    .addIf(!directCallees(null).isEmpty(), 1.5, () -> dropAll(directCall(null)))
                    .addIf(plan.fuelGlobal() >= 0, 1, () -> dropAll(guardedCall(null)))
                    .addIf(plan.fuelGlobal() >= 0, 0.4, () -> guardedTailCall(List.of()))
                    .add(0.3, () -> polymorphic(List.of()))
                    .addIf(exceptions(), 1.5, () -> tryTable(List.of()))
                    .addIf(exceptions(), 0.8, this::conditionalRaise)
                    .addIf(exceptions(), 0.2, () -> raise(List.of()))
                    .addIf(plan.gc(), 1.5, this::gcNew)
                    .addIf(plan.gc(), 1.5, this::gcWrite)
                    .pick(r);
        } finally {
            depth--;
        }
    }

    /** memory.init, mostly of a range inside the segment (a dropped or active segment has length 0 by then). */
    private Expr memoryInit() {
        int segment = r.nextInt(plan.memory().data().size());
        int size = plan.memory().data().get(segment).bytes().length;
        int source = r.nextInt(5) == 0 ? r.nextInt(size + 8) : r.nextInt(size + 1);
        int length = r.nextInt(5) == 0 ? r.nextInt(size + 8) : r.nextInt(Math.max(1, size - source + 1));
        int m = memory();
        return new MemoryInit(segment, address(1, m), new Const(NumType.I32, source), new Const(NumType.I32, length), m);
    }

    private Expr localSet() {
        int l = pick(userLocals);
        return new LocalSet(l, value(localType(l)));
    }

    private Expr store() {
        List<MemOp> ops = Arrays.stream(MemOp.values()).filter(o -> o.store && (plan.simd() || o.type != NumType.V128)).toList();
        MemOp op = pick(ops);
        int m = memory();
        return new Store(op, r.nextInt(op.maxAlignLog2() + 1), offset(m), address(op.width, m), value(op.type), m);
    }

    private Expr backEdge() {
        List<Label> loops = labels.stream().filter(l -> l.kind() == Label.Kind.LOOP).toList();
        Label l = pick(loops);
        return dropAll(new BackEdge(l, values(l.types(), true)));
    }

    private static Expr dropAll(Expr e) {
        return e.types().isEmpty() ? e : new Drop(e);
    }

    // ---- control ----

    private FuncSig blockSig(List<NumType> results) {
        List<NumType> params = r.nextInt(4) == 0 ? randomTypes(1, 2) : List.of();
        if (r.nextInt(8) == 0 && !results.isEmpty()) params = results; // parameters passed straight through
        return new FuncSig(params, results);
    }

    private Expr block(List<NumType> results) {
        FuncSig s = blockSig(results);
        Label l = new Label(nextLabel++, Label.Kind.BLOCK, s.results(), -1);
        List<Expr> inputs = values(s.params(), true);
        return new Block(l, s, inputs, body(s, l));
    }

    private Expr ifElse(List<NumType> results) {
        FuncSig s = blockSig(results);
        Label l = new Label(nextLabel++, Label.Kind.IF, s.results(), -1);
        List<Expr> inputs = values(s.params(), true);
        Expr condition = value(NumType.I32);
        Body then = body(s, l);
        Body otherwise = s.params().equals(s.results()) && r.nextInt(3) == 0 ? new Body(List.of(), null, List.of()) : body(s, l);
        return new If(l, s, inputs, condition, then, otherwise);
    }

    private Expr loop(List<NumType> results) {
        FuncSig s = blockSig(results);
        int counter = newLocal(NumType.I32);
        Label l = new Label(nextLabel++, Label.Kind.LOOP, s.params(), counter);
        int trips = r.nextInt(10) < 7 ? r.nextInt(5) : 5 + r.nextInt(6);
        List<Expr> inputs = values(s.params(), true);
        long saved = multiplier;
        multiplier *= Math.max(1, trips);
        try {
            return new Loop(l, s, trips, inputs, body(s, l));
        } finally {
            multiplier = saved;
        }
    }

    /** A body of type {@code s} inside {@code label}; loops usually end their statements with a back edge. */
    private Body body(FuncSig s, Label label) {
        labels.push(label);
        try {
            List<Expr> statements = new ArrayList<>();
            int n = budget > 0 ? r.nextInt(4) : 0;
            for (int i = 0; i < n; i++) statements.add(statement());
            if (label.kind() == Label.Kind.LOOP && r.nextInt(4) != 0) {
                statements.add(dropAll(new BackEdge(label, values(label.types(), true))));
            }
            if (!s.params().isEmpty() && s.params().equals(s.results()) && r.nextBoolean()) {
                return new Body(statements, null, List.of());
            }
            List<Integer> spill = new ArrayList<>();
            for (NumType p : s.params()) {
                List<Integer> same = localsOf(p);
                int local = same.isEmpty() || r.nextBoolean() ? newLocal(p) : pick(same);
                if (!userLocals.contains(local)) userLocals.add(local);
                spill.add(local);
            }
            return new Body(statements, spill, values(s.results(), false));
        } finally {
            labels.pop();
        }
    }

    // ---- GC objects (GcSlots) ----

    /** The reads ({shape, op}) that give a {@code t}. */
    private static List<int[]> gcReads(NumType t) {
        List<int[]> out = new ArrayList<>();
        for (GcSlots.Shape s : GcSlots.Shape.values()) {
            for (int op = 0; op < GcSlots.readOps(s); op++) if (GcSlots.readType(s, op) == t) out.add(new int[] {s.ordinal(), op});
        }
        return out;
    }

    private Expr gcRead(NumType t) {
        int[] read = pick(gcReads(t));
        GcSlots.Shape s = GcSlots.Shape.values()[read[0]];
        List<Expr> index = GcSlots.readsElement(s, read[1]) ? List.of(gcIndex()) : List.of();
        return new GcRead(s, read[1], gcSlot(s, true), index);
    }

    /** A slot for shape {@code s}: mostly one of its home slots, one time in four any that may hold it (then a cast may fail). */
    private int gcSlot(GcSlots.Shape s, boolean read) {
        List<Integer> slots = GcSlots.slots(s, read);
        List<Integer> home = slots.stream().filter(k -> k < GcSlots.MIXED_SLOTS).toList();
        return pick(r.nextInt(4) == 0 ? slots : home);
    }

    /** An array index, length or count: mostly below 16 (arrays are made 0-15 long), sometimes any i32. */
    private Expr gcIndex() {
        Expr v = value(NumType.I32);
        return r.nextInt(6) == 0 ? v : new Numeric(NumericOp.I32_AND, List.of(v, new Const(NumType.I32, 15)));
    }

    private Expr gcNew() {
        GcSlots.Shape s = pick(Arrays.asList(GcSlots.Shape.values()));
        List<Expr> values = new ArrayList<>();
        for (NumType t : GcSlots.newOperands(s)) values.add(value(t));
        if (s.isArray()) values.set(1, new Numeric(NumericOp.I32_AND, List.of(values.get(1), new Const(NumType.I32, 15))));
        return new GcNew(s, gcSlot(s, false), values);
    }

    /** struct.set of a field; array.set, array.fill or array.copy (indices and counts from {@link #gcIndex}). */
    private Expr gcWrite() {
        List<GcSlots.Shape> writable = List.of(GcSlots.Shape.STRUCT, GcSlots.Shape.SUBSTRUCT, GcSlots.Shape.LONGS, GcSlots.Shape.BYTES);
        GcSlots.Shape s = pick(writable);
        int op = r.nextInt(GcSlots.writeOps(s));
        List<Expr> operands = new ArrayList<>();
        List<NumType> ts = GcSlots.writeOperands(s, op);
        for (int k = 0; k < ts.size(); k++) {
            boolean index = s.isArray() && (k == 0 || op == 2 || op == 1 && k == 2);
            operands.add(index ? gcIndex() : value(ts.get(k)));
        }
        return new GcWrite(s, op, gcSlot(s, true), gcSlot(s, true), operands);
    }

    // ---- exceptions ----

    private boolean exceptions() {
        return !plan.tags().isEmpty();
    }

    /** An exnref: mostly one a handler kept in a local (null until one was caught there), sometimes {@code ref.null exn}. */
    private Expr exnref() {
        List<Integer> ls = localsOf(NumType.EXNREF);
        if (ls.isEmpty() || r.nextInt(8) == 0) return new Const(NumType.EXNREF, 0);
        return new LocalGet(pick(ls), NumType.EXNREF);
    }

    /** {@code throw} of a tag with its payload, or {@code throw_ref} of a kept exnref (a null one traps). */
    private Expr raise(List<NumType> claimed) {
        boolean kept = !localsOf(NumType.EXNREF).isEmpty();
        return new Weighted<Expr>()
                .add(3, () -> {
                    int tag = r.nextInt(plan.tags().size());
                    return new Throw(tag, values(plan.tagParams(tag), true), claimed);
                })
                .addIf(kept, 2, () -> new ThrowRef(exnref(), claimed))
                .addIf(!kept, 0.1, () -> new ThrowRef(new Const(NumType.EXNREF, 0), claimed))
                .pick(r);
    }

    /** {@code (if (cond) (then throw ...))}: code that throws only sometimes. */
    private Expr conditionalRaise() {
        FuncSig none = new FuncSig(List.of(), List.of());
        Label l = new Label(nextLabel++, Label.Kind.IF, List.of(), -1);
        Expr condition = value(NumType.I32);
        return new If(l, none, List.of(), condition, new Body(List.of(raise(List.of())), List.of(), List.of()),
                new Body(List.of(), List.of(), List.of()));
    }

    /**
     * A try_table with one to three clauses of any kind: a catch or catch_all sometimes branches to an
     * enclosing block with the payload's types, every other clause lands in a block of its own whose
     * handler runs with the payload (kept in locals, the exnref too) and leaves {@code results}.
     */
    private Expr tryTable(List<NumType> results) {
        FuncSig s = blockSig(results);
        Label label = new Label(nextLabel++, Label.Kind.BLOCK, s.results(), -1);
        Label done = new Label(nextLabel++, Label.Kind.BLOCK, s.results(), -1);
        List<Expr> inputs = values(s.params(), true);
        int n = 1 + r.nextInt(3);
        List<Clause> shapes = new ArrayList<>();
        List<Label> landings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CatchKind kind = pick(List.of(CatchKind.values()));
            int tag = kind.hasTag() ? r.nextInt(plan.tags().size()) : -1;
            List<NumType> payload = kind.payload(tag >= 0 ? plan.tagParams(tag) : List.of());
            List<Label> outer = kind.hasRef() ? List.of() : branchTargets(payload);
            if (!outer.isEmpty() && r.nextInt(3) == 0) shapes.add(new Clause(kind, tag, pick(outer), null));
            else {
                Label landing = new Label(nextLabel++, Label.Kind.BLOCK, payload, -1);
                landings.add(landing);
                shapes.add(new Clause(kind, tag, landing, null));
            }
        }
        Body body = body(s, label);
        List<Clause> clauses = new ArrayList<>();
        for (Clause c : shapes) {
            clauses.add(landings.contains(c.target()) ? new Clause(c.kind(), c.tag(), c.target(), body(new FuncSig(c.target().types(), s.results()), done)) : c);
        }
        return new TryTable(label, done, s, inputs, body, clauses);
    }

    // ---- calls ----

    /** Lower-numbered functions with these results (any results when null) that fit the cost budget. */
    private List<Integer> directCallees(List<NumType> results) {
        List<Integer> out = new ArrayList<>();
        for (int f = 0; f < self; f++) {
            if (results != null && !plan.functionSig(f).results().equals(results)) continue;
            if (cost + multiplier * costs[f] <= MAX_COST) out.add(f);
        }
        return out;
    }

    private Expr directCall(List<NumType> results) {
        int f = pick(directCallees(results));
        cost += multiplier * costs[f];
        FuncSig s = plan.functionSig(f);
        return new Call(f, values(s.params(), true), s.results());
    }

    /** A call that may recurse (any function, or through the table), spending fuel. */
    private Expr guardedCall(List<NumType> results) {
        List<Integer> funcs = new ArrayList<>();
        for (int f = 0; f < plan.functionCount(); f++) {
            if (results == null || plan.functionSig(f).results().equals(results)) funcs.add(f);
        }
        List<Integer> types = new ArrayList<>();
        for (int t = 0; t < plan.types().size(); t++) {
            if (results == null || plan.types().get(t).results().equals(results)) types.add(t);
        }
        boolean indirect = plan.tableSize() > 0 && !types.isEmpty() && (funcs.isEmpty() || r.nextBoolean());
        if (!indirect && funcs.isEmpty()) return zeros(results);
        Expr call;
        if (indirect) {
            int t = pick(types);
            FuncSig s = plan.types().get(t);
            Expr index = r.nextInt(4) != 0 ? new Const(NumType.I32, r.nextInt(plan.tableSize() + 2)) : value(NumType.I32);
            call = new CallIndirect(t, values(s.params(), true), index, s.results());
        } else {
            int f = pick(funcs);
            FuncSig s = plan.functionSig(f);
            call = r.nextInt(3) == 0 ? new CallRef(plan.functionTypes().get(f), f, values(s.params(), true), s.results())
                    : new Call(f, values(s.params(), true), s.results());
        }
        return new FuelGuard(call, plan.fuelGlobal());
    }

    /**
     * A tail call that may recurse, spending fuel: {@code return_call}, {@code return_call_indirect}
     * or {@code return_call_ref} of a function (or type) with this function's results; while no fuel
     * is left it pushes zeros of {@code ts} instead.
     */
    private Expr guardedTailCall(List<NumType> ts) {
        List<Integer> funcs = new ArrayList<>();
        for (int f = 0; f < plan.functionCount(); f++) if (plan.functionSig(f).results().equals(sig.results())) funcs.add(f);
        List<Integer> types = new ArrayList<>();
        for (int t = 0; t < plan.types().size(); t++) if (plan.types().get(t).results().equals(sig.results())) types.add(t);
        boolean indirect = plan.tableSize() > 0 && !types.isEmpty() && (funcs.isEmpty() || r.nextInt(3) == 0);
        if (!indirect && funcs.isEmpty()) return zeros(ts);
        Expr call;
        if (indirect) {
            int t = pick(types);
            Expr index = r.nextInt(4) != 0 ? new Const(NumType.I32, r.nextInt(plan.tableSize() + 2)) : value(NumType.I32);
            call = new TailCall(TailCall.Kind.INDIRECT, t, -1, values(plan.types().get(t).params(), true), index, ts);
        } else {
            int f = pick(funcs);
            TailCall.Kind kind = r.nextBoolean() ? TailCall.Kind.DIRECT : TailCall.Kind.REF;
            call = new TailCall(kind, plan.functionTypes().get(f), f, values(plan.functionSig(f).params(), true), null, ts);
        }
        return new FuelGuard(call, plan.fuelGlobal());
    }

    private Expr zeros(List<NumType> ts) {
        if (ts.size() == 1) return new Const(ts.get(0), 0);
        Label l = new Label(nextLabel++, Label.Kind.BLOCK, ts, -1);
        FuncSig s = new FuncSig(List.of(), ts);
        return new Block(l, s, List.of(), new Body(List.of(), List.of(), ts.stream().map(t -> (Expr) new Const(t, 0)).toList()));
    }

    // ---- memory operands ----

    /** The memory an access goes to: mostly memory 0, when there are several. */
    private int memory() {
        int n = plan.memory().count();
        return n == 1 || r.nextInt(3) == 0 ? 0 : r.nextInt(n);
    }

    private boolean is64(int memory) {
        return plan.memory().is64(memory);
    }

    /** The memories whose memory.size and memory.grow give a value of type {@code t}. */
    private List<Integer> memoriesOf(NumType t) {
        List<Integer> out = new ArrayList<>();
        if (plan.memory() == null) return out;
        for (int m = 0; m < plan.memory().count(); m++) if ((is64(m) ? NumType.I64 : NumType.I32) == t) out.add(m);
        return out;
    }

    /**
     * An address in memory {@code memory} for an access of {@code width} bytes: mostly inside the
     * initial memory (so code after the access runs), sometimes right at a boundary, rarely
     * anywhere (for a 64-bit memory also near 2^64, where address + offset wraps).
     */
    private Expr address(int width, int memory) {
        long min = (long) plan.memory().minPages(memory) * 65536, max = (long) plan.memory().maxPages(memory) * 65536;
        long inside = Math.max(min, 65536) - width;
        if (is64(memory)) {
            return new Weighted<Expr>()
                    .add(6, () -> new Const(NumType.I64, r.nextInt(4) == 0 ? r.nextInt(128) : r.nextLong(inside + 1)))
                    .add(1.5, () -> new Numeric(NumericOp.I64_AND, List.of(value(NumType.I64), new Const(NumType.I64, 0x3FFF))))
                    .add(0.5, () -> new Numeric(NumericOp.I64_EXTEND_I32_U, List.of(new Numeric(NumericOp.I32_AND,
                            List.of(value(NumType.I32), new Const(NumType.I32, 0x1FFFF))))))
                    .add(0.5, () -> new Const(NumType.I64, (r.nextBoolean() ? min : max) - width + r.nextInt(5) - 2))
                    .add(0.2, () -> new Const(NumType.I64, r.nextBoolean() ? -1L - r.nextInt(16) : (1L << 32) + r.nextInt(16) - 8))
                    .add(0.2, () -> value(NumType.I64))
                    .pick(r);
        }
        return new Weighted<Expr>()
                .add(6, () -> new Const(NumType.I32, r.nextInt(4) == 0 ? r.nextInt(128) : r.nextLong(inside + 1)))
                .add(1.5, () -> new Numeric(NumericOp.I32_AND, List.of(value(NumType.I32), new Const(NumType.I32, 0x3FFF))))
                .add(0.5, () -> new Const(NumType.I32, (r.nextBoolean() ? min : max) - width + r.nextInt(5) - 2))
                .add(0.1, () -> new Const(NumType.I32, r.nextBoolean() ? -1 : 0x7FFF_FFFF - r.nextInt(16)))
                .add(0.2, () -> value(NumType.I32))
                .pick(r);
    }

    /** A memarg offset for memory {@code memory}: a u32, or for a 64-bit memory sometimes past 2^32 or near 2^64. */
    private long offset(int memory) {
        int p = r.nextInt(100);
        if (p < 85) return 0;
        if (p < 95) return r.nextInt(64);
        if (p < 98) return 65536 - r.nextInt(16);
        if (is64(memory) && r.nextBoolean()) return r.nextBoolean() ? -1L - r.nextInt(32) : (1L << 32) + r.nextInt(65536);
        return r.nextBoolean() ? 0xFFFF_FFF0L + r.nextInt(16) : r.nextLong(0x1_0000_0000L);
    }

    /** A length operand: an i64 for a 64-bit memory (and a copy between two of them). */
    private Expr length(boolean wide) {
        NumType t = wide ? NumType.I64 : NumType.I32;
        if (wide && r.nextInt(16) == 0) return new Const(t, -1L - r.nextInt(4));
        return r.nextInt(4) != 0 ? new Const(t, r.nextInt(r.nextBoolean() ? 16 : 300)) : value(t);
    }

    private Expr growDelta(int memory) {
        NumType t = is64(memory) ? NumType.I64 : NumType.I32;
        return switch (r.nextInt(6)) {
            case 0, 1 -> new Const(t, r.nextInt(2));
            case 2 -> new Const(t, 1 + r.nextInt(3));
            case 3 -> new Const(t, r.nextBoolean() ? 65536 : -1);
            default -> value(t);
        };
    }

    // ---- helpers ----

    private List<Integer> localsOf(NumType t) {
        return userLocals.stream().filter(l -> localType(l) == t).toList();
    }

    private List<Integer> globalsOf(NumType t, boolean writable) {
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < plan.globals().size(); g++) {
            GlobalDef d = plan.globals().get(g);
            if (t != null && d.type() != t) continue;
            if (writable && (!d.mutable() || g == plan.fuelGlobal())) continue;
            out.add(g);
        }
        return out;
    }

    /** Enclosing block and if labels (never loops) whose branch types are {@code types} (any when null). */
    private List<Label> branchTargets(List<NumType> types) {
        return labels.stream().filter(l -> l.kind() != Label.Kind.LOOP && (types == null || l.types().equals(types))).toList();
    }

    private List<NumType> randomTypes(int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        List<NumType> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(pickType());
        return out;
    }

    private <T> T pick(List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }
}
