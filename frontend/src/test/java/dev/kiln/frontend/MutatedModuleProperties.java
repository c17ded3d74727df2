package dev.kiln.frontend;

import dev.kiln.frontend.testing.SharedData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input: random mutations, truncations, insertions and splices of the spec suite's valid and
 * invalid modules are either accepted or rejected with a {@link ModuleException}, never with any
 * other exception, an {@link OutOfMemoryError}, a stack overflow or a hang (each case is bounded
 * in time). The default run tries 3000 modules; {@code ./run-tests slow} runs 100 000.
 */
class MutatedModuleProperties {
    private static final List<Path> CORPUS = SharedData.specModules();
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "decode-worker", 4 << 20);
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void shutdown() {
        WORKER.shutdownNow();
    }

    enum Kind { FLIP, TRUNCATE, INSERT, DELETE, SPLICE, DUPLICATE, MAX_LEB }

    record Mutation(Kind kind, int file, int other, double at, double at2, int value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, CORPUS.size() - 1),
                Arbitraries.integers().between(0, CORPUS.size() - 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 3000, seed = "20261122")
    void mutatedModulesFailCleanly(@ForAll("mutations") List<Mutation> ms) throws Exception {
        check(ms);
    }

    @Property(tries = 100_000)
    @Tag("slow")
    void manyMutatedModulesFailCleanly(@ForAll("mutations") List<Mutation> ms) throws Exception {
        check(ms);
    }

    private static void check(List<Mutation> ms) throws Exception {
        byte[] bytes = read(ms.get(0).file());
        for (Mutation m : ms) bytes = apply(m, bytes);
        byte[] input = bytes;
        Future<?> f = WORKER.submit(() -> {
            try {
                Validator.validate(Decoder.decode(input));
            } catch (ModuleException expected) {
                // a clean rejection
            }
        });
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("decoding did not finish within 10 s: " + ms);
        } catch (ExecutionException e) {
            throw new AssertionError("not a ModuleException for " + ms + ": " + e.getCause(), e.getCause());
        }
    }

    private static byte[] read(int i) throws IOException {
        return Files.readAllBytes(CORPUS.get(i));
    }

    private static byte[] apply(Mutation m, byte[] b) throws IOException {
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
