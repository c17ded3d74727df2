package dev.kiln.regalloc;

import dev.kiln.ir.BackEdges;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;

import java.util.Arrays;
import java.util.Map;

/**
 * The loops of a function as layout ranges ({@link BackEdges}: a header, laid out first, to the last
 * block with an edge back to it), their nesting, and the question a split interval asks: up to
 * which position does a register written at a definition still hold it along every path, when the
 * register is left alone up to a given position and reused after it? Linear in blocks and edges.
 */
final class LoopRanges {
    /** How many enclosing loops {@link #holdsUntil} walks before it gives up (and answers "nowhere"). */
    private static final int MAX_WALK = 64;

    private final LinearOrder order;
    /** Each block's start position, by layout index (ascending). */
    private final int[] blockStarts;
    /** For each layout index: the last layout index with an edge back to it, or -1 (not a header). */
    private final int[] lastSource;
    /** For each layout index: the innermost loop containing it (its header's layout index), or -1. */
    private final int[] innermost;
    /** For each header: the header of the loop enclosing it, or -1. */
    private final int[] parent;
    /** True when every two loop ranges are disjoint or nested (the structured layout the IR keeps). */
    private final boolean nested;

    LoopRanges(IrFunction f, LinearOrder order) {
        this.order = order;
        int n = f.blocks.size();
        Map<Integer, Integer> at = BackEdges.positions(f.blocks);
        blockStarts = new int[n];
        lastSource = new int[n];
        Arrays.fill(lastSource, -1);
        for (int i = 0; i < n; i++) {
            blockStarts[i] = order.blockStart(f.blocks.get(i));
            for (Edge e : f.blocks.get(i).terminator.edges()) {
                int h = at.get(e.target.id);
                if (h <= i) lastSource[h] = Math.max(lastSource[h], i);
            }
        }
        innermost = new int[n];
        parent = new int[n];
        int[] stack = new int[n];
        int top = 0;
        boolean ok = true;
        for (int i = 0; i < n; i++) {
            while (top > 0 && lastSource[stack[top - 1]] < i) top--;
            int enclosing = top > 0 ? stack[top - 1] : -1;
            if (lastSource[i] >= 0) {
                if (enclosing >= 0 && lastSource[i] > lastSource[enclosing]) ok = false;
                parent[i] = enclosing;
                stack[top++] = i;
                innermost[i] = i;
            } else {
                parent[i] = -1;
                innermost[i] = enclosing;
            }
        }
        nested = ok;
    }

    /** For each layout index, the last layout index with an edge back to it, or -1 (do not change it). */
    int[] lastSources() {
        return lastSource;
    }

    /**
     * The last position {@code p <= last} such that a register written by a definition at
     * {@code definition} and overwritten by nothing at positions up to {@code last} holds the
     * definition's value at {@code p} along every path from the definition: {@code last} itself,
     * unless a loop entered after the definition contains {@code last} and goes back from beyond it,
     * whose header then bounds the answer (its back edge reaches the header with the register reused).
     * Loops around the definition itself repeat the definition first. -1 where the layout is not
     * nested or the nest too deep to walk.
     */
    int holdsUntil(int definition, int last) {
        if (!nested || blockStarts.length == 0) return -1;
        int bi = Arrays.binarySearch(blockStarts, last);
        if (bi < 0) bi = -bi - 2;
        int result = last;
        int walked = 0;
        for (int h = innermost[bi]; h >= 0 && blockStarts[h] > definition; h = parent[h]) {
            if (++walked > MAX_WALK) return -1;
            if (backEdgeAt(h) > last) result = blockStarts[h] - 1;
        }
        return result;
    }

    /** The position of the last back edge to header {@code h}: its source block's terminator. */
    private int backEdgeAt(int h) {
        int s = lastSource[h];
        int end = s + 1 < blockStarts.length ? blockStarts[s + 1] : order.size();
        return end - 2;
    }
}
