package dev.kiln.regalloc;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Block parameters that are copies of one value: every edge into the block passes that value or
 * the parameter itself (a value split at a loop, {@link dev.kiln.ir.pass.LoopSplitting}). Such a
 * parameter always holds the value it copies, so it may share that value's stack slot.
 */
final class PureCopies {
    private PureCopies() {
    }

    /**
     * For each block parameter that is a pure copy, the value it copies. A map of parameters, not an
     * array of every value: the allocator keeps it for the whole allocation, and a long straight-line
     * body has millions of values and few parameters.
     */
    static Map<Integer, Integer> of(IrFunction f) {
        Map<Integer, Integer> copyOf = new HashMap<>();
        Set<Integer> mixed = new HashSet<>();
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                for (int k = 0; k < e.argCount(); k++) {
                    int p = e.target.params[k], a = e.arg(k);
                    if (a == p || mixed.contains(p)) continue;
                    Integer seen = copyOf.putIfAbsent(p, a);
                    if (seen != null && seen != a) mixed.add(p);
                }
            }
        }
        copyOf.keySet().removeAll(mixed);
        return copyOf;
    }

    /** The same as an array over every value (-1 where none), for the allocation checker. */
    static int[] array(IrFunction f) {
        int[] copyOf = new int[f.valueCount()];
        Arrays.fill(copyOf, -1);
        of(f).forEach((p, v) -> copyOf[p] = v);
        return copyOf;
    }
}
