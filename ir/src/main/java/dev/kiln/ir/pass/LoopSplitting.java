package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.BlockLiveness;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Live-range splitting at loop boundaries, for the register allocator. A value defined before a
 * loop and used inside it becomes, inside the loop, a new parameter of the loop header: the edges
 * entering the loop pass the value, the back edges pass the parameter to itself, and every use in
 * the loop's blocks reads the parameter. The allocator then sees two intervals where it saw one:
 * the part inside the loop, dense with uses, and the part around it, which has no use in the loop
 * and ends last, so it is the one spilled under pressure. The spill store and the reload (the
 * entry edge's move) land outside the loop, and the value stays in a register inside it. When the
 * value is not used after the loop, its outer part ends at the loop's entry and the parameter
 * takes over its register (edge hints), so the split costs nothing.
 *
 * <p>Only loops whose pressure may exceed the registers are split: a class of values is split in
 * a loop when more values of the class are live into one of the loop's blocks than the target has
 * registers for them (counting the registers calls preserve when the loop calls out), and the class
 * has some register that could hold them. Constants are not split (the lowering encodes or
 * rematerialises them). Headers entered from an exception handler are left alone.
 *
 * <p>Runs after {@link EdgeSplitting}, keeping its contract: an entry edge of a branch or table
 * switch gets a block of its own ending in a jump that carries the argument. A back edge only ever
 * passes a parameter to itself, a move that never moves, so branch back edges need no block (no
 * jump is added inside a loop).
 */
public final class LoopSplitting implements Pass {
    /** What the target has for values of each type. */
    public interface Registers {
        /** Registers for values of {@code type}; only those a call preserves when {@code acrossCalls}. */
        int count(ValType type, boolean acrossCalls);

        /** True when the instruction calls out (clobbering the registers calls do not preserve). */
        boolean isCall(Instruction i);
    }

    /** Live values beyond the live-in ones that a loop block typically holds at once (its temporaries). */
    private static final int TEMPORARIES = 2;

    private final Registers registers;
    /** Steps over blocks the last run took: back edges looked up, loop blocks visited, blocks laid out (for tests). */
    private long work;

    public LoopSplitting(Registers registers) {
        this.registers = registers;
    }

    @Override
    public String name() {
        return "loop-splitting";
    }

    @Override
    public boolean run(IrFunction f) {
        work = 0;
        Map<Integer, Integer> at = BackEdges.positions(f.blocks);
        List<BasicBlock> headers = new ArrayList<>();
        List<List<BasicBlock>> latches = new ArrayList<>();
        int[] headerIndex = new int[f.blockIdCount()]; // by block id: its place in headers, -1 for none
        Arrays.fill(headerIndex, -1);
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            for (Edge e : b.terminator.edges()) {
                if (!BackEdges.isBackEdge(at, i, e.target)) continue;
                work++;
                int h = headerIndex[e.target.id];
                if (h < 0) {
                    headers.add(e.target);
                    latches.add(new ArrayList<>());
                    h = headerIndex[e.target.id] = headers.size() - 1;
                }
                latches.get(h).add(b);
            }
        }
        if (headers.isEmpty()) return false;
        Loops loops = new Loops(f);
        // innermost loops first (a later header in the layout is nested in, or disjoint from, an earlier one):
        // an outer loop then renames the inner loop's entry argument, and the inner loop keeps its own parameter
        boolean changed = false;
        for (int h = headers.size() - 1; h >= 0; h--) {
            BasicBlock header = headers.get(h);
            if (header == f.entry() || !header.instructions.isEmpty() && header.instructions.getFirst().op == Opcode.CATCH) continue;
            BitSet body = naturalLoop(f, header, latches.get(h), loops.preds);
            if (body == null) continue;
            work += body.cardinality();
            changed |= split(f, header, body, loops);
        }
        work += loops.placeJumps();
        return changed;
    }

    /** Steps over blocks the last {@link #run} took; in proportion to the loops' blocks, whatever the number of loops. */
    long work() {
        return work;
    }

    /**
     * What the loops of one function share: blocks by id, predecessors, liveness and definitions as
     * they were before any split, each block's pressure once (not once per enclosing loop), and the
     * blocks added for entry edges, laid out at the end in one pass (inserting each into the layout
     * as it was made was quadratic in the loops).
     */
    private static final class Loops {
        final IrFunction f;
        final BasicBlock[] byId;
        final List<List<BasicBlock>> preds;
        final BlockLiveness liveness;
        final Opcode[] definedBy;
        /** Values live into a block and its parameters, by type, by block id (made when first needed, dropped when the parameters change). */
        final List<Map<ValType, Integer>> pressure;
        /** By value: the stamp of the last loop that reads it. */
        int[] usedIn;
        int stamp;
        /** The jump blocks made for entry edges, by the block whose edge they take, each to be laid out right after it (the last made first). */
        final Map<BasicBlock, List<BasicBlock>> jumpsAfter = new HashMap<>();

        Loops(IrFunction f) {
            this.f = f;
            byId = new BasicBlock[f.blockIdCount()];
            for (BasicBlock b : f.blocks) byId[b.id] = b;
            preds = predecessors(f);
            liveness = new BlockLiveness(f);
            definedBy = new Opcode[f.valueCount()];
            for (BasicBlock b : f.blocks) {
                for (Instruction i : b.instructions) for (int k = 0; k < i.resultCount(); k++) definedBy[i.result(k)] = i.op;
            }
            pressure = new ArrayList<>(Collections.nCopies(byId.length, null));
            usedIn = new int[f.valueCount()];
        }

        Map<ValType, Integer> pressure(BasicBlock b) {
            Map<ValType, Integer> here = pressure.get(b.id);
            if (here == null) {
                here = new HashMap<>();
                for (int v : liveness.liveIn(b)) here.merge(f.typeOf(v), 1, Integer::sum);
                for (int p : b.params) here.merge(f.typeOf(p), 1, Integer::sum);
                pressure.set(b.id, here);
            }
            return here;
        }

        /** Marks the values the loop's blocks read with a new stamp ({@link #usedInLoop}). */
        void markUses(BitSet body) {
            stamp++;
            if (usedIn.length < f.valueCount()) usedIn = Arrays.copyOf(usedIn, f.valueCount());
            for (int b = body.nextSetBit(0); b >= 0; b = body.nextSetBit(b + 1)) {
                BasicBlock block = byId[b];
                for (Instruction i : block.instructions) for (int k = 0; k < i.argCount(); k++) usedIn[i.arg(k)] = stamp;
                for (int v : block.terminator.operands()) usedIn[v] = stamp;
                for (Edge e : block.terminator.edges()) for (int v : e.args) usedIn[v] = stamp;
            }
        }

        /** Whether the loop last given to {@link #markUses} reads {@code v}. */
        boolean usedInLoop(int v) {
            return usedIn[v] == stamp;
        }

        /** A block made for an entry edge leaving {@code from}, to be laid out right after it, before those made earlier. */
        void placeAfter(BasicBlock from, BasicBlock jump) {
            jumpsAfter.computeIfAbsent(from, b -> new ArrayList<>()).addFirst(jump);
        }

        /** Lays out the blocks of {@link #placeAfter} in one pass over the layout; returns the blocks it went through. */
        int placeJumps() {
            if (jumpsAfter.isEmpty()) return 0;
            List<BasicBlock> layout = new ArrayList<>(f.blocks.size() + jumpsAfter.size());
            for (BasicBlock b : f.blocks) {
                layout.add(b);
                List<BasicBlock> after = jumpsAfter.get(b);
                if (after != null) layout.addAll(after);
            }
            f.blocks.clear();
            f.blocks.addAll(layout);
            return layout.size();
        }
    }

    /** The blocks of the loop of {@code header}: those reaching a latch without passing the header; null unless the header dominates them. */
    private static BitSet naturalLoop(IrFunction f, BasicBlock header, List<BasicBlock> latches, List<List<BasicBlock>> preds) {
        BitSet body = new BitSet();
        body.set(header.id);
        List<BasicBlock> work = new ArrayList<>();
        for (BasicBlock l : latches) if (!body.get(l.id)) {
            body.set(l.id);
            work.add(l);
        }
        while (!work.isEmpty()) {
            BasicBlock b = work.removeLast();
            if (b == f.entry()) return null; // reached without the header: not a natural loop
            for (BasicBlock p : preds.get(b.id)) {
                if (!body.get(p.id)) {
                    body.set(p.id);
                    work.add(p);
                }
            }
        }
        return body;
    }

    private boolean split(IrFunction f, BasicBlock header, BitSet body, Loops loops) {
        BasicBlock[] byId = loops.byId;
        boolean calls = false;
        for (int b = body.nextSetBit(0); b >= 0 && !calls; b = body.nextSetBit(b + 1)) {
            for (Instruction i : byId[b].instructions) if (registers.isCall(i)) { calls = true; break; }
        }
        // the classes under pressure, by type: the most values of the type live into one block of the loop
        Map<ValType, Integer> pressure = new HashMap<>();
        for (int b = body.nextSetBit(0); b >= 0; b = body.nextSetBit(b + 1)) {
            loops.pressure(byId[b]).forEach((t, n) -> pressure.merge(t, n, Math::max));
        }
        loops.markUses(body);
        List<Integer> split = new ArrayList<>();
        for (int v : loops.liveness.liveIn(header)) {
            if (!loops.usedInLoop(v) || isConstant(loops.definedBy[v])) continue;
            ValType t = f.typeOf(v);
            int regs = registers.count(t, calls);
            if (regs > 0 && crowded(pressure, t, regs)) split.add(v);
        }
        if (split.isEmpty()) return false;

        int[] params = new int[split.size()];
        // maps sized by the loop, not by the function: one array of every value per loop would make a
        // function of many loops quadratic
        Map<Integer, Integer> renamedValues = new HashMap<>();
        IntUnaryOperator renamed = v -> renamedValues.getOrDefault(v, v);
        for (int k = 0; k < params.length; k++) {
            params[k] = f.newValue(f.typeOf(split.get(k)));
            renamedValues.put(split.get(k), params[k]);
        }
        for (int b = body.nextSetBit(0); b >= 0; b = body.nextSetBit(b + 1)) rename(byId[b], renamed);
        int old = header.params.length;
        header.params = Arrays.copyOf(header.params, old + params.length);
        System.arraycopy(params, 0, header.params, old, params.length);
        loops.pressure.set(header.id, null); // it has more parameters now
        for (BasicBlock p : loops.preds.get(header.id)) {
            boolean inside = body.get(p.id);
            for (Edge e : p.terminator.edges()) {
                if (e.target != header) continue;
                int[] added = inside ? params : split.stream().mapToInt(Integer::intValue).toArray();
                int[] args = Arrays.copyOf(e.args, old + added.length);
                System.arraycopy(added, 0, args, old, added.length);
                boolean needsBlock = !inside && !(p.terminator instanceof Terminator.Jump)
                        && !(p.terminator instanceof Terminator.Guarded g && g.normal == e);
                if (needsBlock) {
                    BasicBlock jump = f.newBlock();
                    jump.terminator = new Terminator.Jump(new Edge(header, args));
                    e.target = jump;
                    e.args = new int[0];
                    loops.placeAfter(p, jump);
                } else {
                    e.args = args;
                }
            }
        }
        return true;
    }

    private static boolean isConstant(Opcode op) {
        return op == Opcode.I32_CONST || op == Opcode.I64_CONST || op == Opcode.F32_CONST || op == Opcode.F64_CONST
                || op == Opcode.V128_CONST || op == Opcode.REF_NULL || op == Opcode.REF_FUNC;
    }

    private static boolean crowded(Map<ValType, Integer> pressure, ValType t, int regs) {
        // values of other types in the same register class compete too: count every type the target counts alike
        int live = 0;
        boolean floatLike = isFloatLike(t);
        for (Map.Entry<ValType, Integer> e : pressure.entrySet()) if (isFloatLike(e.getKey()) == floatLike) live += e.getValue();
        return live + TEMPORARIES > regs;
    }

    private static boolean isFloatLike(ValType t) {
        return t == ValType.F32 || t == ValType.F64 || t == ValType.V128;
    }

    private static void rename(BasicBlock b, IntUnaryOperator to) {
        for (Instruction i : b.instructions) for (int k = 0; k < i.argCount(); k++) i.setArg(k, to.applyAsInt(i.arg(k)));
        switch (b.terminator) {
            case Terminator.Branch br -> br.condition = to.applyAsInt(br.condition);
            case Terminator.Switch s -> s.index = to.applyAsInt(s.index);
            case Terminator.Return r -> renameAll(r.values, to);
            case Terminator.ReturnCall rc -> {
                for (int k = 0; k < rc.call.argCount(); k++) rc.call.setArg(k, to.applyAsInt(rc.call.arg(k)));
            }
            case Terminator.Throw th -> {
                for (int k = 0; k < th.instruction.argCount(); k++) th.instruction.setArg(k, to.applyAsInt(th.instruction.arg(k)));
            }
            default -> { }
        }
        for (Edge e : b.terminator.edges()) renameAll(e.args, to);
    }

    private static void renameAll(int[] vs, IntUnaryOperator to) {
        for (int k = 0; k < vs.length; k++) vs[k] = to.applyAsInt(vs[k]);
    }

    private static List<List<BasicBlock>> predecessors(IrFunction f) {
        List<List<BasicBlock>> preds = new ArrayList<>(f.blockIdCount());
        for (int i = 0; i < f.blockIdCount(); i++) preds.add(new ArrayList<>(2));
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                List<BasicBlock> ps = preds.get(e.target.id);
                if (!ps.contains(b)) ps.add(b);
            }
        }
        return preds;
    }
}
