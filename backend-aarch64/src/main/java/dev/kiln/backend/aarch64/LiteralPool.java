package dev.kiln.backend.aarch64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 32-, 64- and 128-bit constants loaded with LDR (literal) that still await a place, with the
 * loads referring to each; and the constants already placed, so a later load within reach reuses
 * them. Equal constants share one slot.
 */
final class LiteralPool {
    /**
     * A pool slot's content: {@code bytes} (4, 8 or 16) of {@code bits} ({@code high} the upper 64
     * bits of a 16-byte one), or the address of {@code symbol} + addend.
     */
    record Literal(int bytes, long bits, long high, String symbol, long addend) {
        Literal(int bytes, long bits, String symbol, long addend) {
            this(bytes, bits, 0, symbol, addend);
        }
    }

    private final Map<Literal, List<Integer>> pending = new LinkedHashMap<>();
    private final Map<Literal, Integer> placed = new HashMap<>();
    private int pendingBytes;
    private long minDeadline = Long.MAX_VALUE;

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Bytes of pending constants, without alignment padding. */
    int pendingBytes() {
        return pendingBytes;
    }

    /** The highest offset at which every pending load can still reach its constant. */
    long minDeadline() {
        return minDeadline;
    }

    /** The offset of an already placed copy of {@code literal} that a load at {@code at} reaches, or -1. */
    int placedWithinReach(Literal literal, int at) {
        Integer where = placed.get(literal);
        return where != null && PcRelativeField.IMM19.fits(where - (long) at) ? where : -1;
    }

    /** Records a load at {@code at} that needs {@code literal}. */
    void addUse(Literal literal, int at) {
        List<Integer> uses = pending.computeIfAbsent(literal, k -> new ArrayList<>(1));
        if (uses.isEmpty()) {
            pendingBytes += literal.bytes();
        }
        uses.add(at);
        minDeadline = Math.min(minDeadline, at + PcRelativeField.IMM19.maxForward());
    }

    /**
     * The pending constants in the order GNU as lays out a literal pool: 4-byte ones first, then
     * 8-byte ones, then 16-byte ones, each group in order of first use; clears them.
     */
    List<Map.Entry<Literal, List<Integer>>> takePending() {
        List<Map.Entry<Literal, List<Integer>>> out = new ArrayList<>(pending.entrySet());
        out.sort((x, y) -> Integer.compare(x.getKey().bytes(), y.getKey().bytes()));
        pending.clear();
        pendingBytes = 0;
        minDeadline = Long.MAX_VALUE;
        return out;
    }

    void markPlaced(Literal literal, int at) {
        placed.put(literal, at);
    }
}
