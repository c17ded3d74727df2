package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The long differential run: {@code mvn -Pfuzz -Dkiln.fuzz.minutes=30} (tag {@code fuzz}).
 * Rounds of {@link DifferentialRound} run one after another, each in a fresh JVM
 * ({@link FuzzRound}) for at most {@code -Dkiln.fuzz.roundModules} modules (default 3000), until
 * the time is up. Each round prints its seed; {@code -Dkiln.fuzz.seed=S} makes the first round
 * repeat the round that had seed S. Every finding is shrunk and written to
 * {@code target/fuzz-findings/}; the run fails at the end if there was any.
 */
@Tag("fuzz")
class DifferentialFuzzTest {
    /** Longest a round may shrink a finding after its time is up. */
    private static final double SHRINK_MINUTES = 16;

    @Test
    void everyTierAgreesForAWhile() throws Exception {
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            if (oracle == null) fail("the fuzz run needs the wasmtime oracle (-Dkiln.wasmtime.python, or tests/.venv; ./run-tests makes one)");
            System.out.println("fuzz: oracle wasmtime " + oracle.version());
        }
        double minutes = Double.parseDouble(System.getProperty("kiln.fuzz.minutes", "5"));
        int roundModules = Integer.getInteger("kiln.fuzz.roundModules", 3000);
        String given = System.getProperty("kiln.fuzz.seed", "").strip();
        long end = System.nanoTime() + (long) (minutes * 60e9);
        SecureRandom seeds = new SecureRandom();
        List<String> findings = new ArrayList<>();
        long modules = 0;
        int round = 0;
        while (System.nanoTime() - end < 0) {
            round++;
            long seed = round == 1 && !given.isEmpty() ? Long.parseLong(given) : seeds.nextLong();
            double left = Math.max(0.1, (end - System.nanoTime()) / 60e9);
            System.out.printf("fuzz: round %d, seed %d, at most %d modules or %.1f minutes (repeat with -Dkiln.fuzz.seed=%d)%n",
                    round, seed, roundModules, left, seed);
            FuzzRound.Result r = FuzzRound.runInChildJvm(seed, left, roundModules, left + SHRINK_MINUTES + 2);
            modules += r.modules();
            switch (r.status()) {
                case 0 -> { }
                case 1 -> findings.add("round " + round + " (seed " + seed + "): a disagreement, shrunk and reported above");
                case 3 -> findings.add("round " + round + " (seed " + seed + "): a call never returned; the case is printed above");
                case -1 -> findings.add("round " + round + " (seed " + seed + "): the round did not end in time and was killed");
                default -> findings.add("round " + round + " (seed " + seed + "): the round's JVM ended with status " + r.status());
            }
        }
        System.out.printf("fuzz: %d rounds, %d modules, %d findings in %.1f minutes%n", round, modules, findings.size(), minutes);
        if (!findings.isEmpty()) fail(findings.size() + " findings:\n" + String.join("\n", findings));
        assertTrue(modules > 0, "no module ran");
    }
}
