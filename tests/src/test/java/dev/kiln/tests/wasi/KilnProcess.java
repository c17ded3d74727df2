package dev.kiln.tests.wasi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the {@code kiln} command in a child process — a real JVM with real standard streams, so stdin
 * piping and exit codes are tested as a user sees them: {@code java -cp <this test's class path>
 * dev.kiln.cli.Main ARGS...} (the classes of this build), or the {@code ./kiln} launcher.
 */
public final class KilnProcess {
    /**
     * What the process did.
     *
     * @param exit   its exit status
     * @param stdout standard output
     * @param stderr standard error
     * @param nanos  wall time
     */
    public record Result(int exit, byte[] stdout, byte[] stderr, long nanos) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** As an in-process result, to judge it against a specification. */
        public WasiExecution.Result asExecution() {
            return new WasiExecution.Result(exit, stdout, stderr, null, null, 0, nanos, 0, 0);
        }
    }

    private KilnProcess() {
    }

    /** {@code java ... dev.kiln.cli.Main ARGS...} with the test JVM's class path. */
    public static List<String> javaCommand(List<String> kilnArgs) {
        return javaCommand(List.of(), kilnArgs);
    }

    /** {@link #javaCommand(List)} with extra JVM options (a heap size, say). */
    public static List<String> javaCommand(List<String> jvmOptions, List<String> kilnArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.Main"));
        cmd.addAll(kilnArgs);
        return cmd;
    }

    /**
     * Runs {@code command} with {@code stdin} written to its standard input (then closed; null: closed
     * at once), its output captured in files, killed after {@code limit}. {@code environment} adjusts
     * the inherited environment.
     */
    public static Result run(List<String> command, byte[] stdin, Duration limit, Consumer<Map<String, String>> environment)
            throws IOException, InterruptedException {
        return run(command, null, stdin, limit, environment);
    }

    /** {@link #run(List, byte[], Duration, Consumer)} in the working directory {@code cwd} (null: this one). */
    public static Result run(List<String> command, Path cwd, byte[] stdin, Duration limit, Consumer<Map<String, String>> environment)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kiln-process-");
        try {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (environment != null) environment.accept(pb.environment());
            if (cwd != null) pb.directory(cwd.toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) in.write(stdin);
                } catch (IOException e) {
                    // the program stopped reading: its exit status and output tell
                }
            });
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + limit.toSeconds() + " s: " + String.join(" ", command));
            }
            feeder.join(1000);
            return new Result(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), System.nanoTime() - start);
        } finally {
            WasiCase.deleteTree(dir);
        }
    }
}
