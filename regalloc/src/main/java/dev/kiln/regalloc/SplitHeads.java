package dev.kiln.regalloc;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The first pieces of split intervals: a value spilled when a later interval took its register
 * keeps that register from its definition up to the last position before the register changed
 * hands (cut earlier where a loop entered after the definition reaches back over that point, so
 * every path from the definition to such a use keeps the register). The definition writes the
 * register and stores it to the value's slot once; uses up to {@link #end} read the register, later
 * ones the slot. Kept sparse: most values have no head.
 */
final class SplitHeads {
    private final BitSet has = new BitSet();
    /** For each value with a head: {@code register << 32 | last position}. */
    private final Map<Integer, Long> heads = new HashMap<>();

    void add(int v, int register, int end) {
        has.set(v);
        heads.put(v, (long) register << 32 | end & 0xFFFF_FFFFL);
    }

    boolean has(int v) {
        return has.get(v);
    }

    /** The register of {@code v}'s head, or {@link Location#NONE}. */
    int register(int v) {
        return has.get(v) ? (int) (heads.get(v) >>> 32) : Location.NONE;
    }

    /** The last position at which {@code v} is read from its head register. */
    int end(int v) {
        return has.get(v) ? (int) (long) heads.get(v) : -1;
    }

    int size() {
        return heads.size();
    }
}
