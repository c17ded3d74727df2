package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The long differential run: {@code mvn -Pfuzz -Dkiln.fuzz.minutes=30} (tag {@code fuzz}).
 * Rounds of {@link DifferentialRound} run one after another, each in a fresh JVM
 * ({@link FuzzRound}) for at most {@code -Dkiln.fuzz.roundModules} modules (default 3000), until
 * the time is up. With {@code -Dkiln.arm64.java} (an AArch64 JVM, under QEMU on x86-64 hosts),
 * every other round runs there, so AArch64 native code is fuzzed against wasmtime too; with
 * {@code -Dkiln.fuzz.aarch64Only=true} (KILN_FUZZ_AARCH64_ONLY=1 for ./run-tests fuzz) every round does. Each round prints its seed; {@code -Dkiln.fuzz.seed=S} makes the first round
 * repeat the round that had seed S. Every finding is shrunk and written to
 * {@code target/fuzz-findings/}; the run fails at the end if there was any.
 */
@Tag("fuzz")
class DifferentialFuzzTest {
    /** Longest an AArch64 round runs (emulation is slow; rounds alternate with the host's). */
    private static final double AARCH64_ROUND_MINUTES = 10;
    /**
     * The AArch64 JVM's options, as the aarch64 suite's (C1 only under emulation; FORK: no AArch64
     * jspawnhelper), and a call watchdog of 120 s instead of 20: under QEMU at nice 19 on a loaded
     * host, a first interpreted call that traps at once took more than 20 s and was reported as a hang
     * (the same module under kiln run in that JVM traps at once: 8.5 s of CPU, JVM start included).
     * A -Dkiln.fuzz.callSeconds given to the run comes later on the command line and wins.
     */
    private static final List<String> AARCH64_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Djdk.lang.Process.launchMechanism=FORK", "-Dkiln.fuzz.callSeconds=120");
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
        // with -Dkiln.arm64.java (./run-tests fuzz makes that JVM), every other round runs AArch64 code under QEMU
        String arm64 = System.getProperty("kiln.arm64.java", "");
        boolean withAarch64 = !arm64.isBlank() && Files.isExecutable(Path.of(arm64));
        boolean aarch64Only = Boolean.getBoolean("kiln.fuzz.aarch64Only");
        if (aarch64Only && !withAarch64) fail("-Dkiln.fuzz.aarch64Only needs an AArch64 JVM (-Dkiln.arm64.java)");
        System.out.println(aarch64Only ? "fuzz: AArch64 rounds only (" + arm64 + ")"
                : withAarch64 ? "fuzz: rounds alternate between x86-64 and AArch64 (" + arm64 + ")"
                : "fuzz: x86-64 rounds only (no -Dkiln.arm64.java)");
        SecureRandom seeds = new SecureRandom();
        List<String> findings = new ArrayList<>();
        long modules = 0, aarch64Modules = 0;
        int round = 0;
        while (System.nanoTime() - end < 0) {
            round++;
            long seed = round == 1 && !given.isEmpty() ? Long.parseLong(given) : seeds.nextLong();
            double left = Math.max(0.1, (end - System.nanoTime()) / 60e9);
            boolean aarch64 = aarch64Only || withAarch64 && round % 2 == 0;
            String where = aarch64 ? "AArch64 under QEMU" : "host";
            int tries = aarch64 ? Math.max(50, roundModules / 10) : roundModules;
            double roundMinutes = aarch64 ? Math.min(left, AARCH64_ROUND_MINUTES) : left;
            System.out.printf("fuzz: round %d (%s), seed %d, at most %d modules or %.1f minutes (repeat with -Dkiln.fuzz.seed=%d%s)%n",
                    round, where, seed, tries, roundMinutes, seed, aarch64 ? " in the AArch64 JVM" : "");
            FuzzRound.Result r = aarch64
                    ? FuzzRound.runInChildJvm(arm64, AARCH64_JVM_OPTIONS, seed, roundMinutes, tries, roundMinutes + SHRINK_MINUTES + 10)
                    : FuzzRound.runInChildJvm(seed, roundMinutes, tries, roundMinutes + SHRINK_MINUTES + 2);
            modules += r.modules();
            if (aarch64) aarch64Modules += r.modules();
            switch (r.status()) {
                case 0 -> { }
                case 1 -> findings.add("round " + round + " (seed " + seed + "): a disagreement, shrunk and reported above");
                case 3 -> findings.add("round " + round + " (seed " + seed + "): a call never returned; the case is printed above");
                case -1 -> findings.add("round " + round + " (seed " + seed + "): the round did not end in time and was killed");
                default -> findings.add("round " + round + " (seed " + seed + "): the round's JVM ended with status " + r.status());
            }
        }
        System.out.printf("fuzz: %d rounds, %d modules (%d of them AArch64 code under QEMU), %d findings in %.1f minutes%n", round,
                modules, aarch64Modules, findings.size(), minutes);
        if (!findings.isEmpty()) fail(findings.size() + " findings:\n" + String.join("\n", findings));
        assertTrue(modules > 0, "no module ran");
    }
}
