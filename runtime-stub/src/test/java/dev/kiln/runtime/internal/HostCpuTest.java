package dev.kiln.runtime.internal;

import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** cpuid, as kiln runs it, against what the kernel reports in /proc/cpuinfo. */
class HostCpuTest {
    /** The /proc/cpuinfo flag of each feature kiln tracks (lzcnt is part of AMD's "abm"). */
    private static final Map<CpuFeature, String> FLAG = Map.ofEntries(Map.entry(CpuFeature.SSE3, "pni"),
            Map.entry(CpuFeature.SSSE3, "ssse3"), Map.entry(CpuFeature.SSE4_1, "sse4_1"), Map.entry(CpuFeature.SSE4_2, "sse4_2"),
            Map.entry(CpuFeature.POPCNT, "popcnt"), Map.entry(CpuFeature.AVX, "avx"), Map.entry(CpuFeature.AVX2, "avx2"),
            Map.entry(CpuFeature.BMI1, "bmi1"), Map.entry(CpuFeature.BMI2, "bmi2"), Map.entry(CpuFeature.LZCNT, "abm"),
            Map.entry(CpuFeature.FMA, "fma"));

    @Test
    void cpuidAgreesWithTheKernel() throws Exception {
        assumeTrue(Target.host() == Target.X86_64, "x86-64 only");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "needs /proc/cpuinfo");
        String flagsLine = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElseThrow();
        Set<String> flags = Arrays.stream(flagsLine.substring(flagsLine.indexOf(':') + 1).trim().split("\\s+"))
                .collect(Collectors.toSet());
        EnumSet<CpuFeature> expected = EnumSet.noneOf(CpuFeature.class);
        FLAG.forEach((f, flag) -> {
            if (flags.contains(flag)) expected.add(f);
        });
        EnumSet<CpuFeature> detected = EnumSet.copyOf(HostCpu.features());
        // Some kernels leave "abm" out of the flags although cpuid reports lzcnt (seen on AMD EPYC guests,
        // where lzcnt does count leading zeros); compare lzcnt only when the kernel names it.
        if (!flags.contains("abm")) detected.remove(CpuFeature.LZCNT);
        assertEquals(expected, detected);
        assertEquals(CpuFeatures.best(Target.X86_64, HostCpu.features()), HostCpu.level());
        assertTrue(HostCpu.level().includes(CpuFeatures.X86_64));
    }

    @Test
    void hostBackendCompilesForTheHostLevel() {
        assumeTrue(Target.host() != null, "a native target");
        assertEquals(HostCpu.level(), Backends.host().cpu());
    }
}
