package dev.kiln.ir.pass;

import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.IrFunction;

/**
 * What the passes of one pipeline run share about a function while none of them changes its blocks
 * or edges: its control-flow graph and dominator tree, each made when first asked for. The
 * {@link Optimizer} drops them after a pass that changed the function, unless that pass says it left
 * the blocks and edges alone (see {@link Pass#run(IrFunction, ControlFlowFacts)}), so value numbering
 * and load elimination build the dominator tree once between them.
 */
public final class ControlFlowFacts {
    private final IrFunction f;
    private ControlFlowGraph cfg;
    private DominatorTree tree;

    public ControlFlowFacts(IrFunction f) {
        this.f = f;
    }

    /** The function's control-flow graph as it is now. */
    public ControlFlowGraph cfg() {
        if (cfg == null) cfg = new ControlFlowGraph(f);
        return cfg;
    }

    DominatorTree dominatorTree() {
        if (tree == null) tree = new DominatorTree(cfg());
        return tree;
    }

    /** Forgets what was made: a pass changed the function's blocks or edges. */
    public void invalidate() {
        cfg = null;
        tree = null;
    }
}
