package dev.kiln.backend.aarch64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The test oracle: GNU binutils for AArch64. {@link #assemble} turns GNU assembly into the bytes
 * of its .text section; {@link #disassemble} runs {@code aarch64-linux-gnu-objdump -D -b binary}
 * on raw bytes. Tests are skipped (not failed) when binutils is not installed.
 */
final class GnuBinutils {
    static final String AS = "aarch64-linux-gnu-as";
    static final String OBJCOPY = "aarch64-linux-gnu-objcopy";
    static final String OBJDUMP = "aarch64-linux-gnu-objdump";

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\s+([0-9a-f]{8})\\s+(.*)$");
    private static Boolean available;

    private GnuBinutils() {
    }

    /** Skips the calling test when the AArch64 binutils are missing. */
    static void assumeAvailable() {
        assumeTrue(available(), "aarch64-linux-gnu binutils not installed (Debian: binutils-aarch64-linux-gnu)");
    }

    static synchronized boolean available() {
        if (available == null) {
            try {
                available = run(List.of(OBJDUMP, "--version"), null).startsWith("GNU objdump")
                        && run(List.of(AS, "--version"), null).startsWith("GNU assembler");
            } catch (IOException | RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** One disassembled instruction: the word objdump read and the text it printed. */
    record Disassembled(int word, String text) {
    }

    /** objdump's view of {@code code}, by offset. */
    static Map<Integer, Disassembled> disassemble(byte[] code) {
        Path dir = tempDir();
        try {
            Path bin = dir.resolve("code.bin");
            Files.write(bin, code);
            String out = run(List.of(OBJDUMP, "-D", "-b", "binary", "-m", "aarch64", bin.toString()), null);
            Map<Integer, Disassembled> result = new TreeMap<>();
            for (String line : out.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    result.put(Integer.parseInt(m.group(1), 16),
                            new Disassembled((int) Long.parseLong(m.group(2), 16), m.group(3)));
                }
            }
            return result;
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            delete(dir);
        }
    }

    /** The .text bytes GNU as produces for {@code source} (relocations are not applied). */
    static byte[] assemble(String source) {
        Path dir = tempDir();
        try {
            Path s = dir.resolve("in.s");
            Path o = dir.resolve("in.o");
            Path bin = dir.resolve("text.bin");
            Files.writeString(s, source + "\n");
            run(List.of(AS, "-o", o.toString(), s.toString()), null);
            run(List.of(OBJCOPY, "-O", "binary", "-j", ".text", o.toString(), bin.toString()), null);
            return Files.readAllBytes(bin);
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Instruction text reduced to what both sides must agree on: objdump's comments ({@code // ...})
     * and symbol annotations ({@code <...>}) dropped, whitespace collapsed, lower case.
     */
    static String normalize(String text) {
        String s = text;
        int comment = s.indexOf("//");
        if (comment >= 0) s = s.substring(0, comment);
        int semicolon = s.indexOf(';');
        if (semicolon >= 0) s = s.substring(0, semicolon);
        s = s.replaceAll("<[^>]*>", "");
        s = s.replaceAll("\\s*,\\s*", ", ");
        s = s.replaceAll("\\s+", " ");
        return s.trim().toLowerCase(Locale.ROOT);
    }

    private static String run(List<String> command, String stdin) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin == null) p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + text);
        }
        return text;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kiln-a64-");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path f : all) Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    static final String READELF = "aarch64-linux-gnu-readelf";
    static final String LD = "aarch64-linux-gnu-ld";

    /** A relocation as readelf prints it. */
    record ElfRelocation(int offset, String type, String symbol, long addend) {
    }

    private static final Pattern RELA = Pattern.compile(
            "^([0-9a-f]+)\\s+[0-9a-f]+\\s+(R_AARCH64_\\w+)\\s+[0-9a-f]+\\s+(\\S+)\\s*([+-])\\s*([0-9a-f]+)\\s*$");

    /** The .text relocations GNU as emits for {@code source}. */
    static List<ElfRelocation> relocations(String source) {
        Path dir = tempDir();
        try {
            Path s = dir.resolve("in.s");
            Path o = dir.resolve("in.o");
            Files.writeString(s, source + "\n");
            run(List.of(AS, "-o", o.toString(), s.toString()), null);
            String out = run(List.of(READELF, "-rW", o.toString()), null);
            List<ElfRelocation> result = new ArrayList<>();
            for (String line : out.split("\n")) {
                Matcher m = RELA.matcher(line.trim());
                if (m.matches()) {
                    long addend = Long.parseUnsignedLong(m.group(5), 16);
                    result.add(new ElfRelocation(Integer.parseInt(m.group(1), 16), m.group(2), m.group(3),
                            m.group(4).equals("-") ? -addend : addend));
                }
            }
            return result;
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Assembles {@code source}, links it with GNU ld with .text at {@code textAddress} and the given
     * absolute symbols, and returns the relocated .text bytes; throws {@link IllegalStateException}
     * with ld's message when ld rejects a relocation.
     */
    static byte[] link(String source, long textAddress, Map<String, Long> symbols) {
        Path dir = tempDir();
        try {
            Path s = dir.resolve("in.s");
            Path o = dir.resolve("in.o");
            Path exe = dir.resolve("out");
            Path bin = dir.resolve("text.bin");
            Files.writeString(s, source + "\n");
            run(List.of(AS, "-o", o.toString(), s.toString()), null);
            List<String> cmd = new ArrayList<>(List.of(LD, "-o", exe.toString(), "-e", "0x" + Long.toHexString(textAddress),
                    "-Ttext=0x" + Long.toHexString(textAddress), "--no-relax"));
            symbols.forEach((name, value) -> cmd.add("--defsym=" + name + "=0x" + Long.toHexString(value)));
            cmd.add(o.toString());
            run(cmd, null);
            run(List.of(OBJCOPY, "-O", "binary", "-j", ".text", exe.toString(), bin.toString()), null);
            return Files.readAllBytes(bin);
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            delete(dir);
        }
    }
}
