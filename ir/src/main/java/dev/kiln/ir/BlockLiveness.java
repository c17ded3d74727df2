package dev.kiln.ir;

import java.util.Arrays;

/**
 * The values live into and out of each block of the current layout: used in the block or a
 * successor before being defined. The interpreter's OSR entries and the register allocator's
 * intervals both start from it. A block's parameters are defined at its start, so they are never
 * live into it; an edge's arguments are used at the end of its source block.
 *
 * <p>Computed per value on SSA form (path exploration): from each block that uses a value it did not
 * define, the value is live in, and it is live out of every predecessor, walking up until the block
 * that defines it. Time and memory are linear in the size of the live sets, unlike bit-vector
 * dataflow, whose sets are as wide as the function has values in every block (quadratic for long
 * functions of many blocks).
 */
public final class BlockLiveness {
    private static final int[] NONE = new int[0];
    private final int[][] liveIn;
    private final int[][] liveOut;

    public BlockLiveness(IrFunction f) {
        int blocks = f.blockIdCount(), values = f.valueCount();
        int[] defBlock = new int[values];
        Arrays.fill(defBlock, -1);
        int[][] preds = predecessors(f, blocks);
        for (BasicBlock b : f.blocks) {
            for (int p : b.params) defBlock[p] = b.id;
            for (Instruction i : b.instructions) for (int k = 0; k < i.resultCount(); k++) defBlock[i.result(k)] = b.id;
        }
        // the blocks where each value is used without being defined there, grouped by value (each block
        // once): value v's are useBlocks[count[v] .. count[v + 1] - 1], filled from the end of each range
        int[] count = new int[values + 1];
        int[] last = new int[values];
        Arrays.fill(last, -1);
        forEachExposedUse(f, defBlock, (v, b) -> {
            if (last[v] == b) return;
            last[v] = b;
            count[v]++;
        });
        for (int v = 1; v < values; v++) count[v] += count[v - 1];
        if (values > 0) count[values] = count[values - 1];
        int[] useBlocks = new int[count[values]];
        Arrays.fill(last, -1);
        forEachExposedUse(f, defBlock, (v, b) -> {
            if (last[v] == b) return;
            last[v] = b;
            useBlocks[--count[v]] = b;
        });

        IntList[] in = new IntList[blocks], out = new IntList[blocks];
        int[] stampIn = new int[blocks], stampOut = new int[blocks];
        Arrays.fill(stampIn, -1);
        Arrays.fill(stampOut, -1);
        int[] stack = new int[Math.max(1, blocks)];
        for (int v = 0; v < values; v++) {
            int sp = 0;
            if (count[v + 1] - count[v] > stack.length) stack = new int[count[v + 1] - count[v]];
            for (int k = count[v]; k < count[v + 1]; k++) stack[sp++] = useBlocks[k];
            while (sp > 0) {
                int x = stack[--sp];
                if (stampIn[x] == v) continue;
                stampIn[x] = v;
                (in[x] == null ? in[x] = new IntList() : in[x]).add(v);
                for (int p : preds[x]) {
                    if (stampOut[p] == v) continue;
                    stampOut[p] = v;
                    (out[p] == null ? out[p] = new IntList() : out[p]).add(v);
                    if (defBlock[v] != p && stampIn[p] != v) {
                        if (sp == stack.length) stack = Arrays.copyOf(stack, stack.length * 2);
                        stack[sp++] = p;
                    }
                }
            }
        }
        liveIn = new int[blocks][];
        liveOut = new int[blocks][];
        for (int b = 0; b < blocks; b++) {
            liveIn[b] = in[b] == null ? NONE : in[b].toArray();
            liveOut[b] = out[b] == null ? NONE : out[b].toArray();
        }
    }

    private interface UseConsumer {
        void use(int value, int block);
    }

    /** Every use of a value in a block that does not define it: instruction arguments, terminator operands, edge arguments. */
    private static void forEachExposedUse(IrFunction f, int[] defBlock, UseConsumer c) {
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); if (defBlock[a] != b.id) c.use(a, b.id); }
            for (int v : b.terminator.operands()) if (defBlock[v] != b.id) c.use(v, b.id);
            for (Edge e : b.terminator.edges()) for (int a : e.args) if (defBlock[a] != b.id) c.use(a, b.id);
        }
    }

    /** Each block's predecessors, each once (a br_table may have a million edges to two blocks). */
    private static int[][] predecessors(IrFunction f, int blocks) {
        int[] count = new int[blocks], last = new int[blocks];
        Arrays.fill(last, -1);
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                if (last[e.target.id] == b.id) continue;
                last[e.target.id] = b.id;
                count[e.target.id]++;
            }
        }
        int[][] preds = new int[blocks][];
        for (int i = 0; i < blocks; i++) preds[i] = count[i] == 0 ? NONE : new int[count[i]];
        Arrays.fill(count, 0);
        Arrays.fill(last, -1);
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                if (last[e.target.id] == b.id) continue;
                last[e.target.id] = b.id;
                preds[e.target.id][count[e.target.id]++] = b.id;
            }
        }
        return preds;
    }

    /** Values live on entry to {@code b}, its parameters excluded, in increasing order (do not change the array). */
    public int[] liveIn(BasicBlock b) {
        return liveIn[b.id];
    }

    /** Values live on exit from {@code b}: live into a successor, that successor's parameters excluded; in increasing order. */
    public int[] liveOut(BasicBlock b) {
        return liveOut[b.id];
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] items = new int[4];
        private int size;

        void add(int v) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
