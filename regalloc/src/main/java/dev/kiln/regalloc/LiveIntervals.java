package dev.kiln.regalloc;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.GcLowering;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.BlockLiveness;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Liveness by backward dataflow over the blocks ({@link BlockLiveness}), summarised per value as one interval
 * {@code [start, end]} in {@link LinearOrder} positions (lifetime holes are not kept). A value
 * that is live into or out of a block covers that block's start or end. Edge arguments are uses
 * at the source block's terminator; block parameters are definitions at the block's start.
 * Also records the positions of calls, so the allocator can keep values that live across a call
 * out of the registers calls clobber, and the positions where the lowering overwrites allocatable
 * registers as scratch ({@link RegisterFile#scratchClobbers}), so no value touching such a position
 * is given one of them.
 */
public final class LiveIntervals {
    private final int[] start;
    private final int[] end;
    /**
     * Each value's spill weight: its definition and uses, each counted {@code 8^depth} for the loop
     * depth of its block (depth capped at {@link #MAX_DEPTH}), saturating at {@code Integer.MAX_VALUE}.
     */
    private final int[] weight;
    /** Each value's first read (lowest position of an operand or edge argument), {@code Integer.MAX_VALUE} when never read. */
    private final int[] firstUse;
    private static final int MAX_DEPTH = 5;
    private final int[] callPositions;
    private final LinearOrder order;
    private final LoopRanges loops;
    /** For each register number (below 64), the sorted positions of the instructions that overwrite it as scratch. */
    private final int[][] scratchPositions = new int[64][];

    public LiveIntervals(IrFunction f) {
        this(f, null);
    }

    /** Liveness of {@code f}, with the scratch clobbers of {@code rf} (none when null). */
    public LiveIntervals(IrFunction f, RegisterFile rf) {
        order = new LinearOrder(f);
        int n = f.valueCount();
        start = new int[n];
        end = new int[n];
        weight = new int[n];
        firstUse = new int[n];
        Arrays.fill(firstUse, Integer.MAX_VALUE);
        loops = new LoopRanges(f, order);
        int[] depth = loopDepths(loops.lastSources());
        Arrays.fill(start, Integer.MAX_VALUE);
        Arrays.fill(end, -1);

        BlockLiveness liveness = new BlockLiveness(f);
        int calls = 0;
        for (BasicBlock b : f.blocks) for (Instruction i : b.instructions) if (isCall(i)) calls++;
        callPositions = new int[calls];
        int c = 0;
        int[] scratchCounts = new int[64];
        List<int[]> clobbers = new ArrayList<>(); // {position, mask low, mask high}
        for (int bi = 0; bi < f.blocks.size(); bi++) {
            BasicBlock b = f.blocks.get(bi);
            int bs = order.blockStart(b);
            int be = order.blockEnd(b);
            int unit = 1 << 3 * Math.min(depth[bi], MAX_DEPTH);
            for (int p : b.params) { extend(p, bs, bs); weigh(p, unit); }
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                int use = order.instructionUse(b, k);
                for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); read(a, use); weigh(a, unit); }
                for (int k2 = 0; k2 < i.resultCount(); k2++) { extend(i.result(k2), use + 1, use + 1); weigh(i.result(k2), unit); }
                if (isCall(i)) callPositions[c++] = use;
                // a clobber recorded one position early conflicts with the operands and the values live
                // across, not with the results (which start at use + 1)
                if (rf != null) noteScratch(clobbers, scratchCounts, rf.resultsFollowScratch(i) ? use - 1 : use, rf.scratchClobbers(i));
            }
            int tu = order.terminatorUse(b);
            if (rf != null) noteScratch(clobbers, scratchCounts, tu, rf.scratchClobbers(b.terminator));
            for (int v : b.terminator.operands()) { read(v, tu); weigh(v, unit); }
            for (Edge e : b.terminator.edges()) for (int a : e.args) { read(a, tu); weigh(a, unit); }
            for (int v : liveness.liveIn(b)) extend(v, bs, bs);
            for (int v : liveness.liveOut(b)) extend(v, be, be);
        }
        for (int r = 0; r < 64; r++) scratchPositions[r] = new int[scratchCounts[r]];
        Arrays.fill(scratchCounts, 0);
        for (int[] cl : clobbers) {
            long mask = (long) cl[1] & 0xFFFF_FFFFL | (long) cl[2] << 32;
            for (int r = 0; r < 64; r++) if ((mask & 1L << r) != 0) scratchPositions[r][scratchCounts[r]++] = cl[0];
        }
    }

    private static void noteScratch(List<int[]> clobbers, int[] counts, int position, long mask) {
        if (mask == 0) return;
        clobbers.add(new int[] {position, (int) mask, (int) (mask >>> 32)});
        for (int r = 0; r < 64; r++) if ((mask & 1L << r) != 0) counts[r]++;
    }

    /**
     * True when an instruction that overwrites {@code register} as scratch reads, defines or lies
     * inside the value's interval: its operands end at its position, its results start one after.
     */
    public boolean scratchClobbered(int register, int v) {
        return scratchBetween(register, start[v] - 1, end[v]);
    }

    /** True when an instruction that overwrites {@code register} as scratch is recorded at a position {@code from..to}. */
    boolean scratchBetween(int register, int from, int to) {
        if (register >= 64) return false;
        int[] ps = scratchPositions[register];
        int i = Arrays.binarySearch(ps, from);
        if (i < 0) i = -i - 1;
        return i < ps.length && ps[i] <= to;
    }

    /** True when a call is at a position {@code from..to-1} (a value read from a register at {@code to} survives it). */
    boolean callBetween(int from, int to) {
        int i = Arrays.binarySearch(callPositions, from);
        if (i < 0) i = -i - 1;
        return i < callPositions.length && callPositions[i] < to;
    }

    /** Operations that call out (clobbering caller-saved registers). */
    public static boolean isCall(Instruction i) {
        return switch (i.op) {
            case CALL, CALL_INDIRECT, CALL_REF, MEMORY_GROW, MEMORY_INIT, MEMORY_COPY, MEMORY_FILL, DATA_DROP,
                 TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP, TABLE_GET, TABLE_SET, TABLE_SIZE -> true;
            default -> GcLowering.isHelperCall(i);
        };
    }

    /**
     * The loop depth of each block by layout position: loops are layout ranges from a header to its
     * last back edge ({@link LoopRanges}, the IR keeps structured order), and a block's depth is the
     * number of ranges it lies in. Linear in blocks.
     */
    private static int[] loopDepths(int[] lastSource) {
        int n = lastSource.length;
        int[] depth = new int[n + 1];
        for (int h = 0; h < n; h++) {
            if (lastSource[h] < 0) continue;
            depth[h]++;
            depth[lastSource[h] + 1]--;
        }
        for (int i = 1; i <= n; i++) depth[i] += depth[i - 1];
        return depth;
    }

    private void weigh(int v, int unit) {
        int w = weight[v] + unit;
        weight[v] = w < 0 ? Integer.MAX_VALUE : w;
    }

    /**
     * The value's spill cost: its weight ({@link #weight}) per position of its interval. Whole-range
     * spilling puts every use in a slot, and a long interval frees its register for longer.
     */
    public double spillCost(int v) {
        return weight[v] / (double) (end[v] - start[v] + 1);
    }

    /** The value's definition and uses, each weighted {@code 8^loop depth}. */
    public int weight(int v) {
        return weight[v];
    }

    private void read(int v, int at) {
        extend(v, at, at);
        if (at < firstUse[v]) firstUse[v] = at;
    }

    /** The position of the value's first read, {@code Integer.MAX_VALUE} when it is never read. */
    public int firstUse(int v) {
        return firstUse[v];
    }

    private void extend(int v, int from, int to) {
        if (from < start[v]) start[v] = from;
        if (to > end[v]) end[v] = to;
    }

    /** True when the value is defined or used anywhere (it needs a location). */
    public boolean isLive(int v) {
        return end[v] >= 0;
    }

    /** Every value's interval end, by value (-1: not live); the allocator's active set reads it, do not change it. */
    int[] ends() {
        return end;
    }

    public int start(int v) {
        return start[v];
    }

    public int end(int v) {
        return end[v];
    }

    /** True when a call happens strictly inside the value's interval (the value survives it). */
    public boolean crossesCall(int v) {
        int s = start[v], e = end[v];
        int i = Arrays.binarySearch(callPositions, s + 1);
        if (i < 0) i = -i - 1;
        return i < callPositions.length && callPositions[i] < e;
    }

    /**
     * The most values of {@code counted} live across any one call (defined before it and used
     * after it): what a frame must keep in callee-saved registers or stack slots while the call
     * runs. 0 without calls.
     */
    public int maxLiveAcrossCall(IntPredicate counted) {
        if (callPositions.length == 0) return 0;
        int[] delta = new int[callPositions.length + 1];
        for (int v = 0; v < start.length; v++) {
            if (end[v] < 0 || !counted.test(v)) continue;
            int first = Arrays.binarySearch(callPositions, start[v] + 1);
            if (first < 0) first = -first - 1;
            int last = Arrays.binarySearch(callPositions, end[v]);
            last = last < 0 ? -last - 2 : last - 1; // calls strictly before the end
            if (first <= last) {
                delta[first]++;
                delta[last + 1]--;
            }
        }
        int max = 0, live = 0;
        for (int i = 0; i < callPositions.length; i++) max = Math.max(max, live += delta[i]);
        return max;
    }

    public LinearOrder order() {
        return order;
    }

    /** The function's loops as layout ranges. */
    LoopRanges loops() {
        return loops;
    }
}
