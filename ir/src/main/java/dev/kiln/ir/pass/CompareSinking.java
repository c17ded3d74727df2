package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

/**
 * Moves the pure, state-independent instruction that computes a branch's condition, when the branch is its only use,
 * to the end of its block, right before the branch. Backends and the interpreter fuse a comparison
 * with the branch that follows it (one compare-and-jump instead of materialising a boolean), which
 * they can only do when nothing comes between them.
 */
public final class CompareSinking implements Pass {
    @Override
    public String name() {
        return "compare-sinking";
    }

    @Override
    public boolean run(IrFunction f) {
        int[] uses = new int[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); uses[a]++; }
            for (int v : b.terminator.operands()) uses[v]++;
            for (Edge e : b.terminator.edges()) for (int a : e.args) uses[a]++;
        }
        boolean changed = false;
        for (BasicBlock b : f.blocks) {
            if (!(b.terminator instanceof Terminator.Branch br) || uses[br.condition] != 1) continue;
            int last = b.instructions.size() - 1;
            for (int k = last - 1; k >= 0; k--) {
                Instruction i = b.instructions.get(k);
                if (i.resultCount() != 1 || i.result() != br.condition) continue;
                if (Effects.isFoldable(i.op)) { // no trap, no side effect, reads no mutable state: order-free
                    b.instructions.remove(k);
                    b.instructions.add(i);
                    changed = true;
                }
                break;
            }
        }
        return changed;
    }
}
