package dev.kiln.tests.cli;

import dev.kiln.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Runs many {@code kiln} command lines in one JVM, one after another, so that a test can drive kiln
 * end to end with hostile input in a JVM of its own: a crash of this JVM is seen by the parent as the
 * case that started and never finished, not as a lost test run. Arguments: a plan file (one command
 * line per line, arguments separated by tabs), a results file, and the index of the first case.
 * Before each case it appends {@code start I} to the results file; after it {@code done I EXIT} and
 * the case's standard output and error, escaped, on the same line.
 */
public final class KilnCaseDriver {
    /** A case running longer than this is a hang: the driver says so and ends with status 3. */
    static final long HANG_SECONDS = 60;

    private KilnCaseDriver() {
    }

    public static void main(String[] args) throws Exception {
        List<String> plan = Files.readAllLines(Path.of(args[0]));
        Path results = Path.of(args[1]);
        for (int i = Integer.parseInt(args[2]); i < plan.size(); i++) {
            append(results, "start " + i);
            int index = i;
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(HANG_SECONDS * 1000);
                } catch (InterruptedException finished) {
                    return;
                }
                append(results, "hang " + index);
                Runtime.getRuntime().halt(3);
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = Main.run(plan.get(i).split("\t"), o, e);
            }
            watchdog.interrupt();
            append(results, "done " + i + " " + exit + "\t" + escape(out.toString(StandardCharsets.UTF_8)) + "\t"
                    + escape(err.toString(StandardCharsets.UTF_8)));
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void append(Path results, String line) {
        try {
            Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
