package dev.kiln.frontend.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Random damage to real modules (the spec suite's, valid and invalid): byte flips, truncations,
 * insertions, deletions, splices of two modules, duplicated runs and maximal LEB128 values. The
 * frontend's robustness properties and the whole-pipeline properties share it.
 */
public final class ModuleMutations {
    public static final List<Path> CORPUS = SharedData.specModules();

    public enum Kind { FLIP, TRUNCATE, INSERT, DELETE, SPLICE, DUPLICATE, MAX_LEB }

    /** One change: what, to which corpus file (and which other one for a splice), where, and with which byte. */
    public record Mutation(Kind kind, int file, int other, double at, double at2, int value) {
    }

    private ModuleMutations() {
    }

    /** One to four mutations; the first names the corpus module they apply to. */
    public static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, CORPUS.size() - 1),
                Arbitraries.integers().between(0, CORPUS.size() - 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    /** The corpus module of the first mutation with every mutation applied in turn. */
    public static byte[] apply(List<Mutation> ms) {
        byte[] bytes = read(ms.get(0).file());
        for (Mutation m : ms) bytes = apply(m, bytes);
        return bytes;
    }

    private static byte[] read(int i) {
        try {
            return Files.readAllBytes(CORPUS.get(i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] apply(Mutation m, byte[] b) {
        int n = b.length;
        int at = (int) (m.at() * n);
        switch (m.kind()) {
            case FLIP -> {
                if (n == 0) return b;
                byte[] c = b.clone();
                c[Math.min(at, n - 1)] = (byte) m.value();
                return c;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(b, at);
            }
            case INSERT -> {
                byte[] c = new byte[n + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) m.value();
                System.arraycopy(b, at, c, at + 1, n - at);
                return c;
            }
            case DELETE -> {
                if (at >= n) return b;
                byte[] c = new byte[n - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, n - at - 1);
                return c;
            }
            case SPLICE -> {
                byte[] o = read(m.other());
                int from = (int) (m.at2() * o.length);
                byte[] c = Arrays.copyOf(b, at + o.length - from);
                System.arraycopy(o, from, c, at, o.length - from);
                return c;
            }
            case DUPLICATE -> {
                int end = Math.min(n, at + 1 + (int) (m.at2() * 64));
                byte[] c = new byte[n + end - at];
                System.arraycopy(b, 0, c, 0, end);
                System.arraycopy(b, at, c, end, n - at);
                return c;
            }
            case MAX_LEB -> {
                // a 5-byte maximal u32 (a huge count or index) in place of whatever was there
                byte[] c = Arrays.copyOf(b, Math.max(n, at + 5));
                c[at] = (byte) 0xFF;
                c[at + 1] = (byte) 0xFF;
                c[at + 2] = (byte) 0xFF;
                c[at + 3] = (byte) 0xFF;
                c[at + 4] = 0x0F;
                return c;
            }
        }
        throw new AssertionError(m);
    }
}
