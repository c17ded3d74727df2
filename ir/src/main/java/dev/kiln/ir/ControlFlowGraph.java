package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Control-flow facts of a function's current block layout: predecessors, reverse postorder of the
 * blocks reachable from the entry, and immediate dominators (Lengauer and Tarjan's algorithm with
 * path compression, computed at the first question about dominance: a pass that only needs
 * predecessors or reachability pays nothing for them). Recompute after a pass changes edges.
 * Iterative: no recursion.
 */
public final class ControlFlowGraph {
    private final IrFunction f;
    /** Indexed by block id. */
    private final List<List<BasicBlock>> preds;
    private final BasicBlock[] rpo;
    private final int[] rpoIndex;
    /** Depth-first preorder of the reachable blocks (block ids), and each one's parent in that tree (a preorder number). */
    private final int[] preorder;
    private final int[] treeParent;
    private int[] idom;
    /** Steps the dominator computation took (predecessors scanned, path-compression steps): linear-ish, for tests. */
    private long dominatorSteps;
    private long compressions;

    public ControlFlowGraph(IrFunction f) {
        this.f = f;
        int n = f.blockIdCount();
        preds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) preds.add(new ArrayList<>(2));
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) preds.get(e.target.id).add(b);
        }
        rpoIndex = new int[n];
        Arrays.fill(rpoIndex, -1);
        List<BasicBlock> post = new ArrayList<>();
        preorder = new int[n];
        treeParent = new int[n];
        int reached = depthFirst(f, n, post, preorder, treeParent);
        rpo = new BasicBlock[reached];
        for (int i = 0; i < reached; i++) rpo[i] = post.get(reached - 1 - i);
        for (int i = 0; i < rpo.length; i++) rpoIndex[rpo[i].id] = i;
    }

    /**
     * One depth-first search from the entry: appends blocks to {@code post} in postorder, fills
     * {@code preorder} (block ids by preorder number) and {@code parent} (preorder numbers); returns
     * how many blocks it reached.
     */
    private static int depthFirst(IrFunction f, int n, List<BasicBlock> post, int[] preorder, int[] parent) {
        boolean[] seen = new boolean[n];
        // explicit stack of (block, next edge index, preorder number)
        BasicBlock[] stack = new BasicBlock[n + 1];
        int[] next = new int[n + 1];
        int[] number = new int[n + 1];
        int sp = 0, count = 0;
        BasicBlock entry = f.entry();
        stack[sp] = entry;
        number[sp] = count;
        parent[count] = -1;
        preorder[count++] = entry.id;
        next[sp++] = 0;
        seen[entry.id] = true;
        while (sp > 0) {
            BasicBlock b = stack[sp - 1];
            Edge[] edges = b.terminator.edges();
            if (next[sp - 1] < edges.length) {
                BasicBlock s = edges[next[sp - 1]++].target;
                if (!seen[s.id]) {
                    seen[s.id] = true;
                    parent[count] = number[sp - 1];
                    preorder[count] = s.id;
                    stack[sp] = s;
                    number[sp] = count++;
                    next[sp++] = 0;
                }
            } else {
                post.add(b);
                sp--;
            }
        }
        return count;
    }

    /**
     * Immediate dominators by block id (the entry its own, unreachable blocks -1): Lengauer–Tarjan
     * over the depth-first tree, semidominators through a forest linked in reverse preorder whose
     * paths are compressed (iteratively), O(edges · log blocks). Cooper–Harvey–Kennedy's iteration,
     * used before, walked the dominator tree at every join and was quadratic in loop nesting.
     */
    private int[] dominators() {
        int count = rpo.length, n = rpoIndex.length;
        int[] doms = new int[n];
        Arrays.fill(doms, -1);
        if (count == 0) return doms;
        int[] number = new int[n]; // preorder number of a block id, -1 when unreachable
        Arrays.fill(number, -1);
        for (int i = 0; i < count; i++) number[preorder[i]] = i;
        // all by preorder number
        int[] semi = new int[count], label = new int[count], ancestor = new int[count], dom = new int[count];
        int[] bucketHead = new int[count], bucketNext = new int[count];
        int[] path = new int[count];
        Arrays.fill(ancestor, -1);
        Arrays.fill(bucketHead, -1);
        for (int v = 0; v < count; v++) {
            semi[v] = v;
            label[v] = v;
        }
        long steps = 0;
        for (int w = count - 1; w > 0; w--) {
            for (BasicBlock p : preds.get(preorder[w])) {
                int v = number[p.id];
                steps++;
                if (v < 0) continue;
                int u = eval(v, semi, label, ancestor, path);
                if (semi[u] < semi[w]) semi[w] = semi[u];
            }
            int s = semi[w];
            bucketNext[w] = bucketHead[s];
            bucketHead[s] = w;
            int parent = treeParent[w];
            ancestor[w] = parent;
            for (int v = bucketHead[parent]; v >= 0; v = bucketNext[v]) {
                steps++;
                int u = eval(v, semi, label, ancestor, path);
                dom[v] = semi[u] < semi[v] ? u : parent;
            }
            bucketHead[parent] = -1;
        }
        for (int w = 1; w < count; w++) if (dom[w] != semi[w]) dom[w] = dom[dom[w]];
        doms[preorder[0]] = preorder[0];
        for (int w = 1; w < count; w++) doms[preorder[w]] = preorder[dom[w]];
        dominatorSteps = steps + compressions;
        return doms;
    }

    /** The vertex of least semidominator on the forest path above {@code v}, compressing the path. */
    private int eval(int v, int[] semi, int[] label, int[] ancestor, int[] path) {
        if (ancestor[v] < 0) return v;
        int depth = 0;
        for (int x = v; ancestor[ancestor[x]] >= 0; x = ancestor[x]) path[depth++] = x;
        compressions += depth;
        while (depth > 0) { // from the top of the path down: each node takes its ancestor's best label and skips to its ancestor's ancestor
            int x = path[--depth], a = ancestor[x];
            if (semi[label[a]] < semi[label[x]]) label[x] = label[a];
            ancestor[x] = ancestor[a];
        }
        return label[v];
    }

    private int[] idom() {
        if (idom == null) idom = dominators();
        return idom;
    }

    /** Steps the dominator computation took (0 until dominance is first asked about): for tests bounding its work. */
    long dominatorSteps() {
        return dominatorSteps;
    }

    public List<BasicBlock> predecessors(BasicBlock b) {
        return preds.get(b.id);
    }

    /** Blocks reachable from the entry, in reverse postorder (the entry first). */
    public BasicBlock[] reversePostorder() {
        return rpo;
    }

    public boolean isReachable(BasicBlock b) {
        return rpoIndex[b.id] >= 0;
    }

    /** Position of a reachable block in reverse postorder. */
    public int rpoIndex(BasicBlock b) {
        return rpoIndex[b.id];
    }

    /** True when {@code a} dominates {@code b} (every block dominates itself). Both must be reachable. */
    public boolean dominates(BasicBlock a, BasicBlock b) {
        int x = b.id;
        while (true) {
            if (x == a.id) return true;
            int d = idom()[x];
            if (d == x || d < 0) return false;
            x = d;
        }
    }

    /** The immediate dominator of a reachable block (the entry is its own), by block id lookup. */
    public int immediateDominator(BasicBlock b) {
        return idom()[b.id];
    }

    /** A back edge goes from {@code from} to a block that dominates it (a loop header). */
    public boolean isBackEdge(BasicBlock from, BasicBlock to) {
        return isReachable(from) && dominates(to, from);
    }

    public IrFunction function() {
        return f;
    }
}
