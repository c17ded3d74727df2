package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Control-flow facts of a function's current block layout: predecessors, reverse postorder of the
 * blocks reachable from the entry, and immediate dominators (Cooper, Harvey and Kennedy's
 * iterative algorithm). Recompute after a pass changes edges. Iterative: no recursion.
 */
public final class ControlFlowGraph {
    private final IrFunction f;
    /** Indexed by block id. */
    private final List<List<BasicBlock>> preds;
    private final BasicBlock[] rpo;
    private final int[] rpoIndex;
    private final int[] idom;

    public ControlFlowGraph(IrFunction f) {
        this.f = f;
        int n = f.blockIdCount();
        preds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) preds.add(new ArrayList<>(2));
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) preds.get(e.target.id).add(b);
        }
        rpo = reversePostorder(f, n);
        rpoIndex = new int[n];
        Arrays.fill(rpoIndex, -1);
        for (int i = 0; i < rpo.length; i++) rpoIndex[rpo[i].id] = i;
        idom = dominators(n);
    }

    private static BasicBlock[] reversePostorder(IrFunction f, int n) {
        boolean[] seen = new boolean[n];
        List<BasicBlock> post = new ArrayList<>();
        // explicit stack of (block, next edge index)
        BasicBlock[] stack = new BasicBlock[n + 1];
        int[] next = new int[n + 1];
        int sp = 0;
        BasicBlock entry = f.entry();
        stack[sp] = entry;
        next[sp++] = 0;
        seen[entry.id] = true;
        while (sp > 0) {
            BasicBlock b = stack[sp - 1];
            Edge[] edges = b.terminator.edges();
            if (next[sp - 1] < edges.length) {
                BasicBlock s = edges[next[sp - 1]++].target;
                if (!seen[s.id]) {
                    seen[s.id] = true;
                    stack[sp] = s;
                    next[sp++] = 0;
                }
            } else {
                post.add(b);
                sp--;
            }
        }
        BasicBlock[] out = new BasicBlock[post.size()];
        for (int i = 0; i < out.length; i++) out[i] = post.get(post.size() - 1 - i);
        return out;
    }

    private int[] dominators(int n) {
        int[] doms = new int[n];
        Arrays.fill(doms, -1);
        if (rpo.length == 0) return doms;
        doms[rpo[0].id] = rpo[0].id;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 1; i < rpo.length; i++) {
                BasicBlock b = rpo[i];
                int newIdom = -1;
                for (BasicBlock p : preds.get(b.id)) {
                    if (doms[p.id] == -1) continue;
                    newIdom = newIdom == -1 ? p.id : intersect(doms, p.id, newIdom);
                }
                if (doms[b.id] != newIdom) {
                    doms[b.id] = newIdom;
                    changed = true;
                }
            }
        }
        return doms;
    }

    private int intersect(int[] doms, int a, int b) {
        while (a != b) {
            while (rpoIndex[a] > rpoIndex[b]) a = doms[a];
            while (rpoIndex[b] > rpoIndex[a]) b = doms[b];
        }
        return a;
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
            int d = idom[x];
            if (d == x || d < 0) return false;
            x = d;
        }
    }

    /** The immediate dominator of a reachable block (the entry is its own), by block id lookup. */
    public int immediateDominator(BasicBlock b) {
        return idom[b.id];
    }

    /** A back edge goes from {@code from} to a block that dominates it (a loop header). */
    public boolean isBackEdge(BasicBlock from, BasicBlock to) {
        return isReachable(from) && dominates(to, from);
    }

    public IrFunction function() {
        return f;
    }
}
