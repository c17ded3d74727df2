package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.Arrays;

/**
 * A substitution of values by other values (v7 := v3), with chains resolved (v9 := v7 := v3), and
 * its application to every use in a function: instruction operands, terminator operands and edge
 * arguments. Passes record replacements while they analyse, then rename once.
 */
final class ValueRenaming {
    private final int[] to;
    private boolean any;

    ValueRenaming(IrFunction f) {
        to = new int[f.valueCount()];
        Arrays.setAll(to, i -> i);
    }

    void replace(int value, int with) {
        to[value] = with;
        any = true;
    }

    int resolve(int v) {
        int r = v;
        while (to[r] != r) r = to[r];
        // path compression
        while (to[v] != r) {
            int next = to[v];
            to[v] = r;
            v = next;
        }
        return r;
    }

    boolean isEmpty() {
        return !any;
    }

    private void renameAll(int[] vs) {
        for (int k = 0; k < vs.length; k++) vs[k] = resolve(vs[k]);
    }

    void apply(IrFunction f) {
        if (!any) return;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) renameAll(i.args);
            switch (b.terminator) {
                case Terminator.Branch br -> br.condition = resolve(br.condition);
                case Terminator.Switch s -> s.index = resolve(s.index);
                case Terminator.Return r -> renameAll(r.values);
                case Terminator.ReturnCall rc -> renameAll(rc.call.args);
                case Terminator.Throw th -> renameAll(th.instruction.args);
                default -> { }
            }
            for (Edge e : b.terminator.edges()) renameAll(e.args);
        }
    }
}
