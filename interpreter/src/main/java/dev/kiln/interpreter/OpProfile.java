package dev.kiln.interpreter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dynamic instruction and instruction-pair counts, for choosing superinstructions. On only when
 * the JVM runs with {@code -Dkiln.interp.profile=FILE} ({@link Interpreter#PROFILE} is a constant
 * the JIT folds, so the counting costs nothing otherwise). Each thread's interpreter stack has one;
 * at exit all are summed into FILE: one line per pair, {@code count first second}, most frequent
 * first, then one line per single instruction, {@code count op -}.
 */
final class OpProfile {
    private static final int N = Families.COUNT << Families.SHIFT;
    private static final List<OpProfile> ALL = new ArrayList<>();

    static {
        String file = System.getProperty("kiln.interp.profile");
        if (file != null) Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(file))));
    }

    private final long[] pairs = new long[N * N];
    private final long[] singles = new long[N];
    private int previous;

    OpProfile() {
        synchronized (ALL) {
            ALL.add(this);
        }
    }

    void record(int op) {
        singles[op]++;
        pairs[previous * N + op]++;
        previous = op;
    }

    private static void write(Path file) {
        long[] pairs = new long[N * N];
        long[] singles = new long[N];
        synchronized (ALL) {
            for (OpProfile p : ALL) {
                for (int i = 0; i < pairs.length; i++) pairs[i] += p.pairs[i];
                for (int i = 0; i < N; i++) singles[i] += p.singles[i];
            }
        }
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < pairs.length; i++) if (pairs[i] != 0) rows.add(new long[] {pairs[i], i / N, i % N});
        rows.sort((a, b) -> Long.compare(b[0], a[0]));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            for (long[] row : rows) w.println(row[0] + " " + Op.name((int) row[1]) + " " + Op.name((int) row[2]));
            for (int i = 0; i < N; i++) if (singles[i] != 0) w.println(singles[i] + " " + Op.name(i) + " -");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
