package dev.kiln.frontend.text;

import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad text: truncations and mutations of the 3.0 suite's module texts and scripts either parse or
 * are rejected with a {@link TextFormatException} that has a line and a column; never another
 * exception, never a hang (each parse must finish within a second, the whole run within minutes).
 * The unit run mutates 6 000 times with a fixed seed; the {@code slow} suite 500 000 times with a fresh one.
 */
class MutatedTextTest {
    private static final String[] TOKENS = {"(", ")", "\"", "$", "$x", "0", "-1", "0x", "1.5e", "nan:0x1", "inf", "module", "func",
            "block", "end", "else", "then", "if", "loop", "br 9", "i32.const", "(@custom \"x\")", "(@name \"n\")", "(@a", ";;", "(;",
            ";)", "(type 0)", "(param i32)", "(result i64)", "(ref null 99)", "local.get $q", "offset=4294967296", "align=3",
            "\\u{110000}", "\\ff", "v128.const i8x16", "(rec", "(sub final", "try", "delegate 0", "catch_all", "(elem", "(data",
            "\u00e9", "\u0000", "\t\n"};

    private static List<byte[]> corpus() throws IOException {
        Path root = SharedData.require("wasm-3.0-testsuite");
        List<byte[]> texts = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".wast") && !root.relativize(p).startsWith("proposals")).sorted().toList()) {
                byte[] script = Files.readAllBytes(p);
                if (script.length < 40_000) texts.add(script); // whole scripts too, the small ones
                for (WastCommand c : WastParser.parse(script, p.toString())) {
                    if (c instanceof WastCommand.Module m && m.module().form() != WastModule.Form.BINARY) {
                        texts.add(m.module().text().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return texts;
    }

    private static byte[] mutate(byte[] text, Random r) {
        int n = text.length;
        int at = n == 0 ? 0 : r.nextInt(n);
        return switch (r.nextInt(6)) {
            case 0 -> Arrays.copyOf(text, at); // truncate
            case 1 -> { // delete a range
                int len = Math.min(n - at, 1 + r.nextInt(40));
                byte[] out = new byte[n - len];
                System.arraycopy(text, 0, out, 0, at);
                System.arraycopy(text, at + len, out, at, n - at - len);
                yield out;
            }
            case 2, 3 -> { // insert a token
                byte[] tok = (" " + TOKENS[r.nextInt(TOKENS.length)] + (r.nextBoolean() ? " " : "")).getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[n + tok.length];
                System.arraycopy(text, 0, out, 0, at);
                System.arraycopy(tok, 0, out, at, tok.length);
                System.arraycopy(text, at, out, at + tok.length, n - at);
                yield out;
            }
            case 4 -> { // flip a byte
                byte[] out = text.clone();
                if (n > 0) out[at] = (byte) r.nextInt(256);
                yield out;
            }
            default -> { // duplicate a range (unbalances parentheses, repeats definitions)
                int len = Math.min(n - at, 1 + r.nextInt(200));
                byte[] out = new byte[n + len];
                System.arraycopy(text, 0, out, 0, at + len);
                System.arraycopy(text, at, out, at + len, n - at);
                yield out;
            }
        };
    }

    private static void check(byte[] text, int round) {
        long start = System.nanoTime();
        try {
            if (round % 7 == 0) {
                for (WastCommand c : WastParser.parse(text, "mutated.wast")) {
                    WastModule m = c instanceof WastCommand.Module mc ? mc.module()
                            : c instanceof WastCommand.AssertModule am ? am.module() : null;
                    if (m == null) continue;
                    try {
                        m.compile();
                    } catch (TextFormatException e) {
                        checkPosition(e, text);
                    }
                }
            } else {
                WatParser.parse(text, "mutated.wat");
            }
        } catch (TextFormatException e) {
            checkPosition(e, text);
        } catch (RuntimeException | StackOverflowError e) {
            fail("mutation " + round + ": " + e + " instead of a text error, for:\n" + preview(text), e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > 1000) fail("mutation " + round + " took " + ms + " ms to parse:\n" + preview(text));
    }

    private static void checkPosition(TextFormatException e, byte[] text) {
        assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
        assertTrue(e.getMessage().matches("(?s)[^:]+(:\\d+ \\(quoted module\\))?:\\d+:\\d+: .+"), e.getMessage());
    }

    private static String preview(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    private static void run(int mutations, long seed) throws IOException {
        List<byte[]> corpus = corpus();
        Random r = new Random(seed);
        assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
            for (int i = 0; i < mutations; i++) {
                byte[] text = corpus.get(r.nextInt(corpus.size()));
                byte[] m = mutate(text, r);
                if (r.nextInt(4) == 0) m = mutate(m, r);
                check(m, i);
            }
        });
    }

    @Test
    void mutatedTextsGiveTextErrors() throws IOException {
        run(6_000, 42);
    }

    @Tag("slow")
    @Test
    void manyMutatedTextsGiveTextErrors() throws IOException {
        run(500_000, System.nanoTime());
    }
}
