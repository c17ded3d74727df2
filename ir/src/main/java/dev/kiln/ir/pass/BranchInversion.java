package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

/**
 * A branch on {@code i32.eqz x} becomes a branch on {@code x} with its two edges swapped (repeatedly,
 * for {@code eqz (eqz x)}). Compilers emit {@code br_if (i32.eqz cond)} for loop exits, and the
 * {@code eqz} kept a comparison from fusing with its branch: the backends materialised the boolean,
 * negated it and tested it again. The {@code eqz} itself stays for its other uses, if any
 * ({@link DeadCodeElimination} removes it otherwise). Swapping targets, unlike negating the
 * comparison, is right for float comparisons with NaN operands too.
 */
public final class BranchInversion implements Pass {
    @Override
    public String name() {
        return "branch-inversion";
    }

    @Override
    public boolean run(IrFunction f) {
        Instruction[] def = new Instruction[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) if (i.resultCount() == 1) def[i.result()] = i;
        }
        boolean changed = false;
        for (BasicBlock b : f.blocks) {
            while (b.terminator instanceof Terminator.Branch br && def[br.condition] != null && def[br.condition].op == Opcode.I32_EQZ) {
                b.terminator = new Terminator.Branch(def[br.condition].arg(0), br.ifFalse, br.ifTrue);
                changed = true;
            }
        }
        return changed;
    }
}
