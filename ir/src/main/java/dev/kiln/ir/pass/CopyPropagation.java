package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;

import java.util.List;

/**
 * Copy propagation for block-parameter SSA: a parameter whose incoming edges all pass the same
 * value (or the parameter itself, around a loop) is a copy of that value. Its uses are renamed to
 * the value, and the parameter and its arguments disappear. Repeats until nothing changes, since
 * removing one copy can expose another (nested loops).
 */
public final class CopyPropagation implements Pass {
    @Override
    public String name() {
        return "copy-propagation";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean changedAny = false;
        while (true) {
            List<List<Edge>> incoming = BlockParameters.incomingEdges(f);
            ValueRenaming renaming = new ValueRenaming(f);
            boolean changed = false;
            for (BasicBlock b : f.blocks) {
                if (b == f.entry() || b.params.length == 0) continue;
                List<Edge> in = incoming.get(b.id);
                boolean[] remove = new boolean[b.params.length];
                boolean any = false;
                for (int k = 0; k < b.params.length; k++) {
                    int p = b.params[k];
                    int unique = -1;
                    boolean copy = true;
                    for (Edge e : in) {
                        int v = renaming.resolve(e.arg(k));
                        if (v == p) continue;
                        if (unique == -1) unique = v;
                        else if (unique != v) {
                            copy = false;
                            break;
                        }
                    }
                    if (copy && unique != -1) {
                        renaming.replace(p, unique);
                        remove[k] = true;
                        any = true;
                    }
                }
                if (any) {
                    BlockParameters.removeParams(b, remove, in);
                    changed = true;
                }
            }
            renaming.apply(f);
            if (!changed) return changedAny;
            changedAny = true;
        }
    }
}
