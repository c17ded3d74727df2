package dev.kiln.tests.fuzz;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * One fuzzing round in a JVM of its own: rounds keep each JVM small (a crash or a hang costs one
 * round, and its seed repeats it), and let a round run in another JVM, such as an AArch64 one. {@link #main}
 * runs {@link DifferentialRound} through the JUnit Platform (jqwik generates, checks and shrinks)
 * and exits 0 when it passed, 1 when it found a disagreement, 3 when a call hung for good
 * ({@link dev.kiln.tests.fuzz.engine.CallWatchdog}).
 */
public final class FuzzRound {
    /** The line a round prints with the number of modules it ran. */
    static final String STATS_PREFIX = "fuzz-round-modules ";

    private FuzzRound() {
    }

    /** What a round did: its exit status and how many modules it ran. */
    record Result(int status, long modules) {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(DifferentialRound.class))
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.database", "target/jqwik-database-fuzz")
                .build();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicBoolean ran = new AtomicBoolean();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entry.getKeyValuePairs().forEach((k, v) -> System.out.println(k + " = " + v));
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) ran.set(true);
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failed.set(true);
                    System.out.println("fuzz: " + id.getDisplayName() + " " + result.getStatus());
                    result.getThrowable().ifPresent(t -> t.printStackTrace(System.out));
                }
            }
        });
        System.out.flush();
        System.exit(failed.get() || !ran.get() ? 1 : 0);
    }

    /**
     * Runs a round in a child JVM with this JVM's class path, echoing its output; kills it after
     * {@code timeoutMinutes}.
     */
    static Result runInChildJvm(long seed, double minutes, int tries, double timeoutMinutes) throws IOException, InterruptedException {
        return runInChildJvm(Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), seed, minutes, tries,
                timeoutMinutes);
    }

    /**
     * {@link #runInChildJvm(long, double, int, double)} in the JVM {@code java} with {@code jvmOptions}
     * (such as an AArch64 JVM under QEMU, whose native tier is AArch64 code).
     */
    static Result runInChildJvm(String java, List<String> jvmOptions, long seed, double minutes, int tries, double timeoutMinutes)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss16m", "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dkiln.fuzz.seed=" + seed, "-Dkiln.fuzz.minutes=" + minutes, "-Dkiln.fuzz.tries=" + tries));
        for (String p : List.of("kiln.wasmtime.python", "kiln.fuzz.callSeconds", "kiln.shared", "kiln.fuzz.simdOnly", "kiln.fuzz.exceptionsOnly")) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.add(FuzzRound.class.getName());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long[] modules = {0};
        Thread echo = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(STATS_PREFIX)) modules[0] = Long.parseLong(line.substring(STATS_PREFIX.length()).strip());
                    else System.out.println(line);
                }
            } catch (IOException e) {
                System.out.println("fuzz: lost the round's output: " + e);
            }
        }, "fuzz-round-output");
        echo.start();
        if (!child.waitFor((long) (timeoutMinutes * 60), TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            echo.join();
            return new Result(-1, modules[0]);
        }
        echo.join();
        return new Result(child.exitValue(), modules[0]);
    }
}
