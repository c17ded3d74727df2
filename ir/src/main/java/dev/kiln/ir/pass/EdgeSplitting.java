package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives every edge that carries arguments out of a branch or br_table its own block ending in an
 * unconditional jump. Afterwards the moves that bind block parameters can always be placed just
 * before a jump, where they affect no other path. Run after optimisation, before register
 * allocation. New blocks are laid out right after their source block.
 */
public final class EdgeSplitting implements Pass {
    @Override
    public String name() {
        return "edge-splitting";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean changed = false;
        List<BasicBlock> layout = new ArrayList<>(f.blocks.size());
        for (BasicBlock b : f.blocks) {
            layout.add(b);
            if (b.terminator instanceof Terminator.Jump) continue;
            for (Edge e : b.terminator.edges()) {
                if (e.argCount() == 0) continue;
                BasicBlock split = f.newBlock();
                split.terminator = new Terminator.Jump(new Edge(e.target, e.args));
                e.target = split;
                e.args = new int[0];
                layout.add(split);
                changed = true;
            }
        }
        f.blocks.clear();
        f.blocks.addAll(layout);
        return changed;
    }
}
