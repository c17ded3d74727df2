package dev.kiln.linker;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A set of byte ranges kept as disjoint, merged intervals: {@link VirtualMemory}'s committed pages, {@link ExecutableMemory}'s freed ones. */
final class CommittedPages {
    private final TreeMap<Long, Long> ranges = new TreeMap<>(); // start -> end (exclusive)

    void add(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
    }

    void remove(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            ranges.put(before.getKey(), start);
            if (before.getValue() > end) ranges.put(end, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() < end) {
            ranges.remove(next.getKey());
            if (next.getValue() > end) ranges.put(end, next.getValue());
        }
    }

    /** True when every byte of {@code [start, end)} is in the set. */
    boolean covers(long start, long end) {
        if (start >= end) return true;
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        return e != null && e.getValue() >= end;
    }

    /** Calls {@code action} with each interval {@code [start, end)}, in order. */
    void forEach(BiConsumer<Long, Long> action) {
        ranges.forEach(action);
    }

    void clear() {
        ranges.clear();
    }

    /** Total bytes in the set. */
    long total() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) sum += e.getValue() - e.getKey();
        return sum;
    }
}
