package dev.kiln.runtime.internal;

import dev.kiln.ir.code.CpuFeature;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The x86-64 extensions Linux reports for the first CPU in {@code /proc/cpuinfo}'s {@code flags}
 * line. The kernel fills that line from {@code cpuid} and clears what it cannot use (AVX, AVX2 and
 * FMA when it does not save the YMM registers), so it names a subset of what the CPU can run here;
 * reading it is a file read instead of placing and calling kiln's own {@code cpuid} routine.
 */
final class KernelCpuFlags {
    /** The kernel's name for each feature kiln tracks (SSE3 is "pni"; LZCNT is part of AMD's "abm"). */
    static final Map<CpuFeature, String> FLAG = Map.ofEntries(Map.entry(CpuFeature.SSE3, "pni"),
            Map.entry(CpuFeature.SSSE3, "ssse3"), Map.entry(CpuFeature.SSE4_1, "sse4_1"), Map.entry(CpuFeature.SSE4_2, "sse4_2"),
            Map.entry(CpuFeature.POPCNT, "popcnt"), Map.entry(CpuFeature.AVX, "avx"), Map.entry(CpuFeature.AVX2, "avx2"),
            Map.entry(CpuFeature.BMI1, "bmi1"), Map.entry(CpuFeature.BMI2, "bmi2"), Map.entry(CpuFeature.LZCNT, "abm"),
            Map.entry(CpuFeature.FMA, "fma"));

    /** The most read looking for the first flags line (one CPU's entry is 1–3 KB; the file has one per CPU). */
    private static final int MAX_READ = 64 << 10;

    private KernelCpuFlags() {
    }

    /** The features the first flags line of {@code cpuinfo} names, or null when the file cannot be read or has none. */
    static Set<CpuFeature> read(String cpuinfo) {
        try (InputStream in = new FileInputStream(cpuinfo)) {
            byte[] buf = new byte[MAX_READ];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
                Set<CpuFeature> found = parse(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (found != null) return found;
            }
            return null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The features named in the first complete {@code flags} line of {@code text}, or null when it has none. */
    static Set<CpuFeature> parse(String text) {
        int line = text.startsWith("flags") ? 0 : text.indexOf("\nflags") + 1;
        if (line == 0 && !text.startsWith("flags")) return null;
        int colon = text.indexOf(':', line);
        int end = text.indexOf('\n', line);
        if (colon < 0 || end < 0 || colon > end) return null;
        Set<String> names = new HashSet<>(Arrays.asList(text.substring(colon + 1, end).trim().split("\\s+")));
        EnumSet<CpuFeature> f = EnumSet.noneOf(CpuFeature.class);
        FLAG.forEach((feature, flag) -> {
            if (names.contains(flag)) f.add(feature);
        });
        return f;
    }
}
