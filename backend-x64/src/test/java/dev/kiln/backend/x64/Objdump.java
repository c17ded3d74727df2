package dev.kiln.backend.x64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Disassembles raw x86-64 bytes with GNU objdump (Intel syntax) and compares the result with the
 * assembler's listing, instruction by instruction.
 */
final class Objdump {
    /** One disassembled instruction. */
    record Line(int offset, String bytes, String text) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+?)\\s*\\t(.*)$");

    private Objdump() {
    }

    /** Disassembles {@code code[0..end)}. */
    static List<Line> disassemble(byte[] code, int end) {
        return disassemble(code, end, 0);
    }

    /** Disassembles {@code code[0..end)} as if loaded at address {@code vma}. */
    static List<Line> disassemble(byte[] code, int end, long vma) {
        try {
            Path file = Files.createTempFile("kiln-x64-", ".bin");
            try {
                Files.write(file, code);
                Process p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                        "--insn-width=16", "--adjust-vma=0x" + Long.toHexString(vma),
                        "--stop-address=0x" + Long.toHexString(vma + end), file.toString())
                        .redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "objdump timed out");
                String text = new String(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    fail("objdump failed: " + text);
                }
                List<Line> lines = new ArrayList<>();
                for (String s : text.split("\n")) {
                    Matcher m = LINE.matcher(s);
                    if (m.matches()) {
                        lines.add(new Line((int) (Long.parseLong(m.group(1), 16) - vma), m.group(2), m.group(3)));
                    }
                }
                return lines;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run objdump", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whitespace-normalised instruction text. */
    static String normalize(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }

    /** The instruction text of a listing line, without the offset and the {@code ;} annotation. */
    static String listingText(String line) {
        String text = line.substring(line.indexOf(':') + 1);
        int note = text.indexOf("  ; ");
        return normalize(note >= 0 ? text.substring(0, note) : text);
    }

    static int listingOffset(String line) {
        return Integer.parseInt(line.substring(0, line.indexOf(':')).trim(), 16);
    }

    /**
     * Asserts that objdump decodes the instruction part of {@code code} into exactly the listing's
     * instructions: same offsets, same text. Returns the number of instructions compared.
     */
    static int assertListingMatches(AssembledCode code) {
        int end = code.constantPoolOffset();
        List<Line> actual = disassemble(code.code(), end);
        List<String> expected = code.listing().stream().filter(l -> listingOffset(l) < end).toList();
        List<String> problems = new ArrayList<>();
        int n = Math.max(actual.size(), expected.size());
        for (int i = 0; i < n && problems.size() < 25; i++) {
            Line a = i < actual.size() ? actual.get(i) : null;
            String e = i < expected.size() ? expected.get(i) : null;
            if (a == null || e == null || a.offset() != listingOffset(e)
                    || !normalize(a.text()).equals(listingText(e))) {
                problems.add(String.format("#%d%n    listing: %s%n    objdump: %s", i, e,
                        a == null ? "(none)" : Integer.toHexString(a.offset()) + ": " + a.text() + "   [" + a.bytes() + "]"));
            }
        }
        if (!problems.isEmpty()) {
            fail("listing differs from objdump (" + expected.size() + " listed, " + actual.size() + " decoded):\n"
                    + String.join("\n", problems));
        }
        return actual.size();
    }
}
