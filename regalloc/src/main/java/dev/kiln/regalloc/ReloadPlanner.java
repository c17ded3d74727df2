package dev.kiln.regalloc;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives spilled values a register again after linear scan, where one is free ({@link Reloads}):
 * <ul>
 *   <li>over a whole loop that reads a value defined before it: loaded once at the end of the block
 *       laid out before the header (its only way in), held to the last back edge;</li>
 *   <li>over each run of two or more reads of a value along a trace ({@link #runs}) not covered so:
 *       loaded before the first, held to the last (to the select or branch a last comparison may be lowered with,
 *       where the register is free that far; cut at calls when no register that survives them is free).</li>
 * </ul>
 * A register is free over a stretch when no value's interval, head or earlier piece holds it
 * there, no instruction there uses it as scratch, and a call there does not clobber it. Registers
 * the function already uses or that calls clobber come first (they cost no save in the prologue).
 * Functions that catch exceptions get no loop pieces (the unwinder restores no register at a
 * landing block inside a loop). Linear in the function's reads, a logarithmic factor for each
 * register asked.
 */
final class ReloadPlanner {
    /** How many times over its positions the loop pieces may read a function (once per level of a nest). */
    private static final int WORK_PER_POSITION = 8;

    private final IrFunction f;
    private final RegisterFile rf;
    private final LiveIntervals live;
    private final int[] loc;
    private final SplitHeads heads;
    private final BitSet usedRegisters;
    private final LinearOrder order;
    private final Reloads reloads = new Reloads();
    private RegisterOccupancy occupancy;
    /** The values at home in a stack slot whose class has registers: the ones that may get pieces. */
    private final BitSet spilled = new BitSet();

    private ReloadPlanner(IrFunction f, RegisterFile rf, LiveIntervals live, int[] loc, SplitHeads heads, BitSet usedRegisters) {
        this.f = f;
        this.rf = rf;
        this.live = live;
        this.loc = loc;
        this.heads = heads;
        this.usedRegisters = usedRegisters;
        this.order = live.order();
    }

    /** The pieces for the spilled values of an allocation; the registers they take are added to {@code usedRegisters}. */
    static Reloads plan(IrFunction f, RegisterFile rf, LiveIntervals live, int[] loc, SplitHeads heads, BitSet usedRegisters,
                        boolean catches) {
        ReloadPlanner p = new ReloadPlanner(f, rf, live, loc, heads, usedRegisters);
        Map<Integer, Boolean> hasRegisters = new HashMap<>(4);
        for (int v = 0; v < loc.length; v++) {
            if (!Location.isSlot(loc[v]) || !live.isLive(v)) continue;
            if (hasRegisters.computeIfAbsent(rf.classOf(f.typeOf(v)), c -> rf.allocatable(c).length > 0)) p.spilled.set(v);
        }
        if (p.spilled.isEmpty()) return p.reloads;
        p.occupancy = new RegisterOccupancy(loc, live, heads);
        List<List<Integer>> preds = p.predecessors();
        if (!catches) p.loops(preds);
        p.runs(preds, catches);
        return p.reloads;
    }


    // ---- loops ----

    /** For each block by layout index, the layout indices of the blocks with an edge to it (one per edge). */
    private List<List<Integer>> predecessors() {
        int n = f.blocks.size();
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(f.blocks.get(i).id, i);
        List<List<Integer>> preds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) preds.add(new ArrayList<>(2));
        for (int i = 0; i < n; i++) for (Edge e : f.blocks.get(i).terminator.edges()) preds.get(index.get(e.target.id)).add(i);
        return preds;
    }

    private void loops(List<List<Integer>> preds) {
        int n = f.blocks.size();
        int[] lastSource = live.loops().lastSources();
        // nested loops read their blocks once per level: bounded, so a deep nest stays linear
        long budget = WORK_PER_POSITION * (long) order.size();
        for (int h = 1; h < n && budget > 0; h++) {
            int l = lastSource[h];
            if (l < 0) continue;
            budget -= order.blockEnd(f.blocks.get(l)) - order.blockStart(f.blocks.get(h));
            if (budget >= 0 && singleEntry(h, l, preds)) loop(h, l);
        }
    }

    /**
     * True when the loop laid out from {@code h} to {@code l} is entered only at its header, and only
     * from the block laid out right before it, whose one edge it is.
     */
    private boolean singleEntry(int h, int l, List<List<Integer>> preds) {
        BasicBlock header = f.blocks.get(h);
        if (!(f.blocks.get(h - 1).terminator instanceof Terminator.Jump j) || j.target.target != header) return false;
        for (int i = h; i <= l; i++) {
            for (int p : preds.get(i)) {
                boolean inside = p >= h && p <= l;
                if (!inside && !(i == h && p == h - 1)) return false;
            }
        }
        return true;
    }

    private void loop(int h, int l) {
        BasicBlock before = f.blocks.get(h - 1);
        int from = order.terminatorUse(before);
        int to = order.blockEnd(f.blocks.get(l)) - 1;
        BitSet definedInside = new BitSet();
        Map<Integer, Integer> reads = new LinkedHashMap<>();
        for (int i = h; i <= l; i++) {
            BasicBlock b = f.blocks.get(i);
            for (int p : b.params) definedInside.set(p);
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction ins = b.instructions.get(k);
                for (int a = 0; a < ins.argCount(); a++) if (spilled.get(ins.arg(a))) reads.merge(ins.arg(a), 1, Integer::sum);
                for (int r : ins.results()) definedInside.set(r);
            }
            for (int v : b.terminator.operands()) if (spilled.get(v)) reads.merge(v, 1, Integer::sum);
            for (Edge e : b.terminator.edges()) for (int v : e.args) if (spilled.get(v)) reads.merge(v, 1, Integer::sum);
        }
        List<int[]> candidates = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : reads.entrySet()) {
            int v = e.getKey();
            if (!spilled.get(v) || definedInside.get(v) || heads.end(v) >= from - 1 || reloads.overlaps(v, from - 1, to)) continue;
            if (live.start(v) >= from - 1 || live.end(v) < order.blockStart(f.blocks.get(h))) continue;
            candidates.add(new int[] {v, e.getValue()});
        }
        candidates.sort((x, y) -> x[1] != y[1] ? Integer.compare(y[1], x[1]) : Integer.compare(x[0], y[0]));
        for (int[] c : candidates) take(c[0], from, to);
    }

    // ---- runs along a trace ----

    /**
     * The runs of reads along each trace: blocks laid out one after the other, each after the first
     * entered only from the one before it (so a register loaded in one still holds the value in the
     * next); a block of its own in a function that catches exceptions.
     */
    private void runs(List<List<Integer>> preds, boolean catches) {
        Map<Integer, List<Integer>> reads = new LinkedHashMap<>();
        Map<Integer, Integer> ends = new HashMap<>();
        int traceStart = 0;
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            boolean continues = i > 0 && !catches && preds.get(i).size() == 1 && preds.get(i).getFirst() == i - 1;
            if (!continues) {
                takeRuns(reads, ends, traceStart, order.blockStart(b) - 1);
                reads.clear();
                ends.clear();
                traceStart = order.blockStart(b);
            }
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction ins = b.instructions.get(k);
                int at = order.instructionUse(b, k);
                for (int a = 0; a < ins.argCount(); a++) if (read(reads, ins.arg(a), at)) ends.put(ins.arg(a), consumer(b, at));
            }
            int tu = order.terminatorUse(b);
            for (int v : b.terminator.operands()) if (read(reads, v, tu)) ends.put(v, tu);
            for (Edge e : b.terminator.edges()) for (int v : e.args) if (read(reads, v, tu)) ends.put(v, tu);
        }
        takeRuns(reads, ends, traceStart, order.size() - 1);
    }

    /**
     * A piece for each value read at two positions or more of a trace ({@code traceStart..traceEnd}),
     * from its first read to its last (to where a last comparison may be lowered, {@code ends}, when
     * the register is free that far), or else one per stretch between calls.
     */
    private void takeRuns(Map<Integer, List<Integer>> reads, Map<Integer, Integer> ends, int traceStart, int traceEnd) {
        for (Map.Entry<Integer, List<Integer>> e : reads.entrySet()) {
            int v = e.getKey();
            List<Integer> ps = e.getValue();
            if (ps.size() < 2 || reloads.overlaps(v, traceStart, traceEnd)) continue;
            int end = ends.get(v);
            if (end > ps.getLast() && take(v, ps.getFirst(), end)) continue;
            if (take(v, ps.getFirst(), ps.getLast())) continue;
            int first = 0; // no register for the whole run: its stretches between calls
            for (int k = 1; k <= ps.size(); k++) {
                if (k == ps.size() || live.callBetween(ps.get(k - 1), ps.get(k))) {
                    if (k - first >= 2) take(v, ps.get(first), ps.get(k - 1));
                    first = k;
                }
            }
        }
    }

    /**
     * Where the instruction at {@code position} in {@code b} may really be lowered: a comparison whose
     * result only the next select or the block's branch reads may be lowered there, with that
     * consumer (a backend fuses the two), so its operands are read at the consumer's position.
     * {@code position} itself otherwise.
     */
    private int consumer(BasicBlock b, int position) {
        int k = (position - order.instructionUse(b, 0)) / 2;
        if (k < 0 || k >= b.instructions.size() || b.instructions.get(k).resultCount() != 1) return position;
        int result = b.instructions.get(k).result();
        if (k + 1 < b.instructions.size()) {
            Instruction next = b.instructions.get(k + 1);
            boolean select = next.op == Opcode.SELECT || next.op == Opcode.SELECT_T;
            return select && next.arg(2) == result ? order.instructionUse(b, k + 1) : position;
        }
        return b.terminator instanceof Terminator.Branch br && br.condition == result ? order.terminatorUse(b) : position;
    }

    /** Notes a read of {@code v} at {@code position} when it would read the value's home slot (each position once); true if so. */
    private boolean read(Map<Integer, List<Integer>> reads, int v, int position) {
        if (!spilled.get(v) || position <= heads.end(v)) return false;
        List<Integer> ps = reads.computeIfAbsent(v, x -> new ArrayList<>(4));
        if (ps.isEmpty() || ps.getLast() != position) ps.add(position);
        return true;
    }

    // ---- registers ----

    /** Gives {@code v} a register loaded at {@code from} and read up to {@code to}, when one is free; true if so. */
    private boolean take(int v, int from, int to) {
        int r = free(f.typeOf(v), from, to);
        if (r == Location.NONE) return false;
        occupancy.take(r, from - 1, to);
        reloads.add(v, r, from, to);
        usedRegisters.set(r);
        return true;
    }

    /**
     * A register free at positions {@code from - 1..to} (the load goes before what is at {@code from},
     * whose results start after it), preferring one that costs no save; {@link Location#NONE} if none.
     */
    private int free(ValType t, int from, int to) {
        boolean call = live.callBetween(from, to);
        int fallback = Location.NONE;
        for (int r : rf.allocatable(rf.classOf(t))) {
            boolean clobbered = rf.isClobberedByCalls(r, t);
            if (call && clobbered) continue;
            if (!occupancy.isFree(r, from - 1, to) || live.scratchBetween(r, from - 1, to)) continue;
            if (clobbered || usedRegisters.get(r)) return r;
            if (fallback == Location.NONE) fallback = r;
        }
        return fallback;
    }
}
