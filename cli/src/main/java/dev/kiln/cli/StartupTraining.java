package dev.kiln.cli;

import dev.kiln.runtime.internal.CompilerBuildId;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workload the {@code kiln} launcher records once per build to create the JVM's AOT cache
 * ({@code -XX:AOTCacheOutput}), so later runs start with kiln's classes already loaded and
 * linked: every command and tier once, on the examples. It does not run the interpreter hot on
 * purpose: JDK 25 stores method profiles from the training run in the cache (JEP 515), and a
 * dispatch loop profiled on one program is compiled for that program's mix of instructions (C2
 * orders the loop's switch and lays out its branches by the profile). Trained on
 * {@code kernels.wasm}, a whole run of another program (sieve) took 2.3x the CPU time of a run
 * without the cache, and 2.9x that of a cache without the loop's profile; fib gained little from
 * the profile (bench/README.md). Not a user command.
 * With a second argument, it writes there the compiler's build id recorded for the jar
 * ({@link CompilerBuildId#record}), which the launcher passes to every run: a run then does not hash the
 * jar's index.
 * Usage: {@code java -XX:AOTCacheOutput=kiln.aot -cp kiln.jar dev.kiln.cli.StartupTraining EXAMPLES_DIR [BUILD_ID_FILE]}
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path examples = Path.of(args[0]);
        String fib = examples.resolve("fib.wasm").toString();
        String cat = examples.resolve("cat.wasm").toString();
        String data = examples.resolve("data") + "::/data";
        Path tmp = Files.createTempDirectory("kiln-training");
        String cache = tmp.resolve("cache").toString();
        String promoted = tmp.resolve("promoted").toString();
        List<String[]> commands = List.of(
                new String[] {"validate", fib},
                new String[] {"inspect", fib},
                new String[] {"ir", "--stage", "asm", fib},
                new String[] {"compile", "--cache-dir", cache, cat},
                new String[] {"run", "--cache-dir", cache, "--dir", data, cat, "/data/hello.txt"},
                new String[] {"run", "--tier", "native", "--cache-dir", cache, "--dir", data, cat, "/data/hello.txt"},
                new String[] {"run", "--tier", "interp", "--dir", data, cat, "/data/hello.txt"},
                new String[] {"run", "--cache-dir", promoted, "--hot-calls", "2", "--hot-loops", "10", "--jit-sync", "--stats",
                        "--invoke", "fib", fib, "20"},
                new String[] {"cache", "verify", "--cache-dir", cache});
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        int failures = 0;
        for (String[] c : commands) {
            if (Main.run(c, discard, discard) != 0) {
                System.err.println("kiln startup training: '" + String.join(" ", c) + "' failed");
                failures++;
            }
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
        String buildId = CompilerBuildId.record();
        if (args.length > 1 && buildId != null) Files.writeString(Path.of(args[1]), buildId);
        System.exit(failures == 0 ? 0 : 1);
    }
}
