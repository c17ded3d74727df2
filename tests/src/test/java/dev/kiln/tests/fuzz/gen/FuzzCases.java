package dev.kiln.tests.fuzz.gen;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCases;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * jqwik's view of the generator: an {@link Arbitrary} of {@link FuzzCase}s that shrink with
 * {@link CaseShrinker}. Shrinking one failure stops after {@code shrinkSeconds} (a real bug
 * usually shrinks in far less; the budget keeps a CI run bounded).
 */
public final class FuzzCases implements Arbitrary<FuzzCase> {
    private final int maxFunctions;
    private final int bodyBudget;
    private final long shrinkSeconds;
    private final boolean simd;
    private final boolean exceptions;
    private final boolean gc;

    private FuzzCases(int maxFunctions, int bodyBudget, long shrinkSeconds, boolean simd, boolean exceptions, boolean gc) {
        this.maxFunctions = maxFunctions;
        this.bodyBudget = bodyBudget;
        this.shrinkSeconds = shrinkSeconds;
        this.simd = simd;
        this.exceptions = exceptions;
        this.gc = gc;
    }

    /**
     * Modules without SIMD; one in three makes and uses GC objects ({@link dev.kiln.tests.fuzz.wasm.GcSlots}).
     *
     * @param maxFunctions functions per module at most
     * @param bodyBudget   tree nodes per function, about, at most
     */
    public static FuzzCases of(int maxFunctions, int bodyBudget, long shrinkSeconds) {
        return new FuzzCases(maxFunctions, bodyBudget, shrinkSeconds, false, false, true);
    }

    /** Modules that also use v128 values and SIMD instructions (relaxed SIMD included). */
    public static FuzzCases withSimd(int maxFunctions, int bodyBudget, long shrinkSeconds) {
        return new FuzzCases(maxFunctions, bodyBudget, shrinkSeconds, true, false, false);
    }

    /**
     * Modules with exception tags whose code throws ({@code throw}, {@code throw_ref}) and catches
     * ({@code try_table} with every clause kind) across calls, {@code call_indirect} and tail calls,
     * keeping exnrefs in locals; with v128 payloads when {@code simd}; one in three also makes and uses GC objects.
     */
    public static FuzzCases withExceptions(int maxFunctions, int bodyBudget, long shrinkSeconds, boolean simd) {
        return new FuzzCases(maxFunctions, bodyBudget, shrinkSeconds, simd, true, true);
    }

    @Override
    public RandomGenerator<FuzzCase> generator(int genSize) {
        return random -> new CaseShrinkable(new ModuleGenerator(random, maxFunctions, bodyBudget, simd, exceptions, gc).generate(),
                new Deadline(shrinkSeconds), new CaseShrinker());
    }

    @Override
    public EdgeCases<FuzzCase> edgeCases(int maxEdgeCases) {
        return EdgeCases.none();
    }

    /** When shrinking of one family of candidates has to stop (starts at the first shrink step). */
    private static final class Deadline {
        private final long seconds;
        private final AtomicLong endNanos = new AtomicLong();

        Deadline(long seconds) {
            this.seconds = seconds;
        }

        boolean passed() {
            long now = System.nanoTime();
            endNanos.compareAndSet(0, now + seconds * 1_000_000_000L);
            return now - endNanos.get() > 0;
        }
    }

    private record CaseShrinkable(FuzzCase value, Deadline deadline, CaseShrinker shrinker) implements Shrinkable<FuzzCase> {
        @Override
        public Stream<Shrinkable<FuzzCase>> shrink() {
            if (deadline.passed()) return Stream.empty();
            ShrinkingDistance here = distance();
            return shrinker.candidates(value)
                    .takeWhile(c -> !deadline.passed())
                    .map(c -> (Shrinkable<FuzzCase>) new CaseShrinkable(c, deadline, shrinker))
                    .filter(s -> s.distance().compareTo(here) < 0);
        }

        @Override
        public ShrinkingDistance distance() {
            return CaseSize.of(value);
        }
    }
}
