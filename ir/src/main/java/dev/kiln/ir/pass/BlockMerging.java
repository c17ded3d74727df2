package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.List;

/**
 * Merges a block into its only predecessor when that predecessor ends in an unconditional jump to
 * it: the parameters become the jump's arguments, the instructions move up, and the successor's
 * terminator takes over. Fewer blocks mean fewer dispatches in the interpreter and fewer jumps in
 * native code.
 */
public final class BlockMerging implements Pass {
    @Override
    public String name() {
        return "block-merging";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean changed = false;
        List<List<Edge>> incoming = BlockParameters.incomingEdges(f);
        ValueRenaming renaming = new ValueRenaming(f);
        for (int idx = 0; idx < f.blocks.size(); idx++) {
            BasicBlock a = f.blocks.get(idx);
            while (a.terminator instanceof Terminator.Jump j) {
                BasicBlock b = j.target.target;
                if (b == a || b == f.entry() || incoming.get(b.id).size() != 1) break;
                for (int k = 0; k < b.params.length; k++) renaming.replace(b.params[k], j.target.arg(k));
                a.instructions.addAll(b.instructions);
                a.terminator = b.terminator;
                // b's successors now have a as predecessor (their edge objects are unchanged)
                f.blocks.remove(b);
                b.instructions.clear();
                changed = true;
                idx = f.blocks.indexOf(a);
            }
        }
        renaming.apply(f);
        return changed;
    }
}
