package dev.kiln.regalloc;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;

import java.util.Arrays;

/**
 * Block parameters that are copies of one value: every edge into the block passes that value or
 * the parameter itself (a value split at a loop, {@link dev.kiln.ir.pass.LoopSplitting}). Such a
 * parameter always holds the value it copies, so it may share that value's stack slot.
 */
final class PureCopies {
    private PureCopies() {
    }

    /** For each value, the value it is a pure copy of, or -1. */
    static int[] of(IrFunction f) {
        int[] copyOf = new int[f.valueCount()];
        Arrays.fill(copyOf, -1);
        boolean[] mixed = new boolean[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                for (int k = 0; k < e.argCount(); k++) {
                    int p = e.target.params[k], a = e.arg(k);
                    if (a == p || mixed[p]) continue;
                    if (copyOf[p] == -1) copyOf[p] = a;
                    else if (copyOf[p] != a) mixed[p] = true;
                }
            }
        }
        for (int v = 0; v < copyOf.length; v++) if (mixed[v]) copyOf[v] = -1;
        return copyOf;
    }
}
