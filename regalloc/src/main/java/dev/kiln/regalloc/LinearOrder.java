package dev.kiln.regalloc;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.IrFunction;

/**
 * Numbers the positions of a function in block layout order, two per instruction (operands are
 * read at the even position, results written at the odd one), so a value whose last use is an
 * instruction can share a location with that instruction's result.
 * <pre>
 *   block start (parameters defined)   = blockStart(b)
 *   instruction k                       = blockStart(b) + 2 + 2k (use), +1 (def)
 *   terminator                          = blockEnd(b) - 2 (use), blockEnd(b) - 1
 * </pre>
 */
public final class LinearOrder {
    private final int[] start;
    private final int[] end;
    private final int total;

    public LinearOrder(IrFunction f) {
        start = new int[f.blockIdCount()];
        end = new int[f.blockIdCount()];
        int pos = 0;
        for (BasicBlock b : f.blocks) {
            start[b.id] = pos;
            pos += 2 + 2 * b.instructions.size() + 2;
            end[b.id] = pos;
        }
        total = pos;
    }

    public int blockStart(BasicBlock b) {
        return start[b.id];
    }

    public int blockEnd(BasicBlock b) {
        return end[b.id];
    }

    public int instructionUse(BasicBlock b, int k) {
        return start[b.id] + 2 + 2 * k;
    }

    public int instructionDef(BasicBlock b, int k) {
        return instructionUse(b, k) + 1;
    }

    public int terminatorUse(BasicBlock b) {
        return end[b.id] - 2;
    }

    public int size() {
        return total;
    }
}
