package dev.kiln.frontend;

import dev.kiln.frontend.testing.ModuleMutations;
import dev.kiln.frontend.testing.ModuleMutations.Mutation;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

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
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "decode-worker", 4 << 20);
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void shutdown() {
        WORKER.shutdownNow();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return ModuleMutations.mutations();
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
        byte[] input = ModuleMutations.apply(ms);
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
}
