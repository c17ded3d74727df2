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
    private final int valueCount;
    /** The substitution, made at the first replacement (a pass that renames nothing allocates nothing). */
    private int[] to;
    private boolean any;

    ValueRenaming(IrFunction f) {
        valueCount = f.valueCount();
    }

    void replace(int value, int with) {
        if (to == null) {
            to = new int[valueCount];
            Arrays.setAll(to, i -> i);
        }
        to[value] = with;
        any = true;
    }

    int resolve(int v) {
        if (to == null) return v;
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

    private void renameAll(Instruction i) {
        for (int k = 0; k < i.argCount(); k++) i.setArg(k, resolve(i.arg(k)));
    }

    void apply(IrFunction f) {
        if (!any) return;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) renameAll(i);
            switch (b.terminator) {
                case Terminator.Branch br -> br.condition = resolve(br.condition);
                case Terminator.Switch s -> s.index = resolve(s.index);
                case Terminator.Return r -> renameAll(r.values);
                case Terminator.ReturnCall rc -> renameAll(rc.call);
                case Terminator.Throw th -> renameAll(th.instruction);
                default -> { }
            }
            for (Edge e : b.terminator.edges()) renameAll(e.args);
        }
    }
}
