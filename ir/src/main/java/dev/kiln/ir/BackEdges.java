package dev.kiln.ir;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loop back-edges, defined by block layout: an edge whose target is laid out at or before its
 * source. The IR builder lays blocks out in structured order and the passes keep that order, so
 * these are exactly the branches to Wasm loop labels. Every tier uses this one definition — the
 * interpreter counts and meters fuel on these edges, native code checks for interruption at their
 * targets (loop headers) and meters fuel on them — so all tiers agree on where a loop iterates.
 */
public final class BackEdges {
    private BackEdges() {
    }

    /** Each block's position in the layout, by block id. */
    public static Map<Integer, Integer> positions(List<BasicBlock> layout) {
        Map<Integer, Integer> at = new HashMap<>();
        for (int i = 0; i < layout.size(); i++) at.put(layout.get(i).id, i);
        return at;
    }

    /** True when the edge from the block at layout position {@code source} to {@code target} goes back. */
    public static boolean isBackEdge(Map<Integer, Integer> positions, int source, BasicBlock target) {
        return positions.get(target.id) <= source;
    }

    /** The ids of the blocks that back-edges of {@code f} lead to: its loop headers. */
    public static BitSet headers(IrFunction f) {
        Map<Integer, Integer> at = positions(f.blocks);
        BitSet headers = new BitSet();
        for (int i = 0; i < f.blocks.size(); i++) {
            for (Edge e : f.blocks.get(i).terminator.edges()) if (isBackEdge(at, i, e.target)) headers.set(e.target.id);
        }
        return headers;
    }
}
