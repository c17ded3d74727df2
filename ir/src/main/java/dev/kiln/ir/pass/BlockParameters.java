package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;

import java.util.ArrayList;
import java.util.List;

/** Incoming edges of every block, and removal of block parameters together with their arguments. */
final class BlockParameters {
    private BlockParameters() {
    }

    /** Incoming edges indexed by block id. */
    static List<List<Edge>> incomingEdges(IrFunction f) {
        List<List<Edge>> in = new ArrayList<>(f.blockIdCount());
        for (int i = 0; i < f.blockIdCount(); i++) in.add(new ArrayList<>(2));
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) in.get(e.target.id).add(e);
        }
        return in;
    }

    /** Removes the parameters with {@code remove[i]} set from {@code b} and the matching arguments from every edge. */
    static void removeParams(BasicBlock b, boolean[] remove, List<Edge> incoming) {
        b.params = keep(b.params, remove);
        for (Edge e : incoming) e.args = keep(e.args, remove);
    }

    private static int[] keep(int[] vs, boolean[] remove) {
        int n = 0;
        for (int k = 0; k < vs.length; k++) if (!remove[k]) n++;
        int[] out = new int[n];
        int j = 0;
        for (int k = 0; k < vs.length; k++) if (!remove[k]) out[j++] = vs[k];
        return out;
    }
}
