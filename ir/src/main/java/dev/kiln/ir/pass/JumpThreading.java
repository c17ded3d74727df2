package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

/**
 * Sends edges straight past empty blocks: a block with no parameters and no instructions that
 * only jumps on is skipped by every edge that reaches it (the jump's arguments are defined before
 * the empty block, so they are available on the new edge too). Arguments are never moved onto a
 * branch or br_table edge, so edge splitting stays intact. The skipped blocks become unreachable
 * and dead-code elimination removes them.
 */
public final class JumpThreading implements Pass {
    @Override
    public String name() {
        return "jump-threading";
    }

    private static boolean isEmptyJump(BasicBlock b) {
        return b.params.length == 0 && b.instructions.isEmpty() && b.terminator instanceof Terminator.Jump;
    }

    @Override
    public boolean run(IrFunction f) {
        boolean changed = false;
        for (BasicBlock b : f.blocks) {
            boolean sourceIsJump = b.terminator instanceof Terminator.Jump;
            for (Edge e : b.terminator.edges()) {
                // follow chains of empty blocks, at most as many as there are blocks (cycles of empty jumps)
                for (int hops = 0; hops < f.blocks.size() && e.target != b && isEmptyJump(e.target); hops++) {
                    Edge next = ((Terminator.Jump) e.target.terminator).target;
                    if (next.argCount() > 0 && !sourceIsJump) break;
                    e.target = next.target;
                    e.args = next.args.clone();
                    changed = true;
                }
            }
        }
        return changed;
    }
}
