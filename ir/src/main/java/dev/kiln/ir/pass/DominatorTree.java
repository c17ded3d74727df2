package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;

import java.util.Arrays;

/**
 * The dominator tree of a function's reachable blocks, walked in preorder without recursion: a
 * pass enters a block after every block that dominates it and leaves it after every block it
 * dominates, so what it learns in a block holds for exactly the blocks entered before the leave.
 */
final class DominatorTree {
    /** What a walk does on the way down and up. */
    interface Visitor {
        void enter(BasicBlock b);

        void leave(BasicBlock b);
    }

    private final ControlFlowGraph cfg;
    private final BasicBlock[] byId;
    private final int[] firstChild;
    private final int[] nextSibling;

    DominatorTree(ControlFlowGraph cfg) {
        this.cfg = cfg;
        BasicBlock[] rpo = cfg.reversePostorder();
        int n = cfg.function().blockIdCount();
        byId = new BasicBlock[n];
        firstChild = new int[n];
        nextSibling = new int[n];
        Arrays.fill(firstChild, -1);
        // children in reverse postorder: prepend them from the last
        for (int k = rpo.length - 1; k > 0; k--) {
            BasicBlock b = rpo[k];
            int parent = cfg.immediateDominator(b);
            nextSibling[b.id] = firstChild[parent];
            firstChild[parent] = b.id;
        }
        for (BasicBlock b : rpo) byId[b.id] = b;
    }

    /** Predecessors and dominance of the function as it was when the tree was made. */
    ControlFlowGraph cfg() {
        return cfg;
    }

    void walk(Visitor v) {
        BasicBlock[] rpo = cfg.reversePostorder();
        int[] stack = new int[rpo.length + 1];
        boolean[] entered = new boolean[rpo.length + 1];
        int sp = 0;
        stack[sp++] = rpo[0].id;
        while (sp > 0) {
            int id = stack[sp - 1];
            if (entered[sp - 1]) {
                v.leave(byId[id]);
                entered[--sp] = false;
                continue;
            }
            entered[sp - 1] = true;
            v.enter(byId[id]);
            for (int c = firstChild[id]; c >= 0; c = nextSibling[c]) stack[sp++] = c;
        }
    }
}
