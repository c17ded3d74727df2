package dev.kiln.regalloc;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The later pieces of spilled values: stretches in which a value whose home is a stack slot is read
 * from a register it was loaded into once, at the stretch's first position (a run of reads along
 * straight-line blocks, or a whole loop from the end of the block before its header). The driver loads the value
 * from its home slot into the register before lowering what is at that position; reads up to the
 * stretch's end use the register. The slot keeps the value all along (its definition stored it), so
 * nothing is stored back. Kept sparse: most values have no piece.
 */
final class Reloads {
    private static final int[] NONE = new int[0];
    private final BitSet has = new BitSet();
    /** For each value with pieces: {@code register, from, to} triples, by {@code from}. */
    private final Map<Integer, int[]> pieces = new HashMap<>();
    /** For each position with reloads: the values loaded into their piece's register there. */
    private final Map<Integer, int[]> at = new HashMap<>();
    private int count;

    /** {@code v} is loaded into {@code register} at {@code from} and read from it up to {@code to}. */
    void add(int v, int register, int from, int to) {
        has.set(v);
        int[] old = pieces.getOrDefault(v, new int[0]);
        int[] grown = Arrays.copyOf(old, old.length + 3);
        int k = old.length;
        while (k > 0 && old[k - 2] > from) k -= 3; // keep the triples in order of from
        System.arraycopy(old, k, grown, k + 3, old.length - k);
        grown[k] = register;
        grown[k + 1] = from;
        grown[k + 2] = to;
        pieces.put(v, grown);
        int[] here = at.getOrDefault(from, new int[0]);
        int[] more = Arrays.copyOf(here, here.length + 1);
        more[here.length] = v;
        at.put(from, more);
        count++;
    }

    boolean has(int v) {
        return has.get(v);
    }

    /** The register {@code v} is read from at {@code position}, or {@link Location#NONE} outside its pieces. */
    int register(int v, int position) {
        if (!has.get(v)) return Location.NONE;
        int[] p = pieces.get(v);
        for (int k = 0; k < p.length; k += 3) if (p[k + 1] <= position && position <= p[k + 2]) return p[k];
        return Location.NONE;
    }

    /** True when a piece of {@code v} overlaps positions {@code from..to}. */
    boolean overlaps(int v, int from, int to) {
        if (!has.get(v)) return false;
        int[] p = pieces.get(v);
        for (int k = 0; k < p.length; k += 3) if (p[k + 1] <= to && from <= p[k + 2]) return true;
        return false;
    }

    /** The values loaded into a register at {@code position} (empty when none). */
    int[] at(int position) {
        if (count == 0) return NONE;
        int[] vs = at.get(position);
        return vs == null ? NONE : vs.clone();
    }

    /** The number of pieces. */
    int size() {
        return count;
    }
}
