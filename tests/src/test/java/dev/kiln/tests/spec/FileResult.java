package dev.kiln.tests.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts per command type for one script on one tier, and the failures by line. */
public final class FileResult {
    public final String file;
    public final Map<String, int[]> counts = new TreeMap<>(); // type -> {passed, failed, skipped}
    public final List<String> failures = new ArrayList<>();

    FileResult(String file) {
        this.file = file;
    }

    void count(String type, int which) {
        counts.computeIfAbsent(type, k -> new int[3])[which]++;
    }

    public int total(int which) {
        return counts.values().stream().mapToInt(c -> c[which]).sum();
    }

    public String summaryLine(String tier) {
        StringBuilder sb = new StringBuilder(String.format("%-9s %-34s passed %5d  failed %4d  skipped %5d",
                tier, file, total(0), total(1), total(2)));
        List<String> skipped = new ArrayList<>();
        counts.forEach((type, c) -> {
            if (c[2] > 0) skipped.add(type + " " + c[2]);
        });
        if (!skipped.isEmpty()) sb.append("  (not run: ").append(String.join(", ", skipped)).append(')');
        return sb.toString();
    }
}
