package dev.kiln.regalloc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which positions each register is taken at after linear scan: the intervals of the values it
 * holds (disjoint within one register: the scan hands a register on only once its interval ended),
 * the heads split off there ({@link SplitHeads}), and pieces added since ({@link Reloads}). Answers
 * whether a register is free over a range of positions in logarithmic time.
 */
final class RegisterOccupancy {
    /** For each register: {@code start << 32 | end} of the intervals it holds, sorted. */
    private final Map<Integer, long[]> taken = new HashMap<>();
    /** For each register: the pieces added, start to end. */
    private final Map<Integer, TreeMap<Integer, Integer>> added = new HashMap<>();

    RegisterOccupancy(int[] loc, LiveIntervals live, SplitHeads heads) {
        int registers = 0;
        for (int v = 0; v < loc.length; v++) {
            if (Location.isRegister(loc[v])) registers = Math.max(registers, loc[v] + 1);
            if (heads.has(v)) registers = Math.max(registers, heads.register(v) + 1);
        }
        int[] counts = new int[registers];
        for (int v = 0; v < loc.length; v++) {
            if (Location.isRegister(loc[v]) && live.isLive(v)) counts[loc[v]]++;
            if (heads.has(v)) counts[heads.register(v)]++;
        }
        for (int r = 0; r < registers; r++) if (counts[r] > 0) taken.put(r, new long[counts[r]]);
        int[] filled = new int[registers];
        for (int v = 0; v < loc.length; v++) {
            if (Location.isRegister(loc[v]) && live.isLive(v)) put(filled, loc[v], live.start(v), live.end(v));
            if (heads.has(v)) put(filled, heads.register(v), live.start(v), heads.end(v));
        }
        for (long[] a : taken.values()) Arrays.sort(a);
    }

    private void put(int[] filled, int register, int start, int end) {
        taken.get(register)[filled[register]++] = (long) start << 32 | end & 0xFFFF_FFFFL;
    }

    /** True when nothing holds {@code register} at any position {@code from..to}. */
    boolean isFree(int register, int from, int to) {
        long[] a = taken.get(register);
        if (a != null) {
            // the interval starting last at or before `to` ends last among those (they are disjoint)
            int i = Arrays.binarySearch(a, (long) to << 32 | 0xFFFF_FFFFL);
            i = i < 0 ? -i - 2 : i;
            if (i >= 0 && (int) a[i] >= from) return false;
        }
        TreeMap<Integer, Integer> t = added.get(register);
        if (t != null) {
            Map.Entry<Integer, Integer> e = t.floorEntry(to);
            if (e != null && e.getValue() >= from) return false;
        }
        return true;
    }

    /** Marks {@code register} taken at positions {@code from..to} (free there, {@link #isFree}). */
    void take(int register, int from, int to) {
        added.computeIfAbsent(register, r -> new TreeMap<>()).put(from, to);
    }
}
