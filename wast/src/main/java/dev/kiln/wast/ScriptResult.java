package dev.kiln.wast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What running one script gave: per command kind how many passed, failed and were not run; the
 * failures with their lines; and why commands were not run (a feature name, by count).
 */
public final class ScriptResult {
    /** A failed command. */
    public record Failure(int line, String kind, String detail) {
    }

    private final String file;
    private final Map<String, int[]> counts = new TreeMap<>();
    private final Map<String, Integer> notRunReasons = new TreeMap<>();
    private final List<Failure> failures = new ArrayList<>();

    public ScriptResult(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    void count(String kind, int line, Outcome o) {
        count(kind, line, o.status(), o.detail());
    }

    /** Counts a command's outcome; {@code detail} is the failure or the reason it was not run. */
    public void count(String kind, int line, CommandStatus status, String detail) {
        int[] c = counts.computeIfAbsent(kind, k -> new int[3]);
        switch (status) {
            case PASSED -> c[0]++;
            case FAILED -> {
                c[1]++;
                failures.add(new Failure(line, kind, detail));
            }
            case NOT_RUN -> {
                c[2]++;
                notRunReasons.merge(detail, 1, Integer::sum);
            }
        }
    }

    /** Per command kind: {passed, failed, not run}. */
    public Map<String, int[]> counts() {
        return Collections.unmodifiableMap(counts);
    }

    public Map<String, Integer> notRunReasons() {
        return Collections.unmodifiableMap(notRunReasons);
    }

    public List<Failure> failures() {
        return Collections.unmodifiableList(failures);
    }

    public int total(CommandStatus s) {
        int i = s.ordinal();
        return counts.values().stream().mapToInt(c -> c[i]).sum();
    }
}
