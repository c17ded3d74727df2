package dev.kiln.runtime.internal;

import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Host CPU detection: cpuid, as kiln runs it, against what the kernel reports in /proc/cpuinfo, and which of them is used. */
class HostCpuTest {
    @Test
    void cpuidAgreesWithTheKernel() {
        assumeTrue(Target.host() == Target.X86_64, "x86-64 only");
        Set<CpuFeature> kernel = KernelCpuFlags.read(HostCpu.CPUINFO);
        assumeTrue(kernel != null, "needs /proc/cpuinfo");
        EnumSet<CpuFeature> detected = EnumSet.copyOf(HostCpu.cpuid());
        // Some kernels leave "abm" out of the flags although cpuid reports lzcnt (seen on AMD EPYC guests,
        // where lzcnt does count leading zeros); compare lzcnt only when the kernel names it.
        if (!kernel.contains(CpuFeature.LZCNT)) detected.remove(CpuFeature.LZCNT);
        assertEquals(kernel, detected);
        assertEquals(CpuFeatures.best(Target.X86_64, HostCpu.features()), HostCpu.level());
        assertTrue(HostCpu.level().includes(CpuFeatures.X86_64));
    }

    /** The kernel's flags are used, without running cpuid, only when they name every extension kiln tracks. */
    @Test
    void theKernelsFlagsSpareTheCpuidRoutineWhenTheyNameEverything() {
        assumeTrue(Target.host() == Target.X86_64, "x86-64 only");
        Set<CpuFeature> kernel = KernelCpuFlags.read(HostCpu.CPUINFO);
        boolean complete = kernel != null && kernel.containsAll(EnumSet.allOf(CpuFeature.class));
        assertEquals(complete ? HostCpu.Source.KERNEL_FLAGS : HostCpu.Source.CPUID, HostCpu.source());
        if (complete) assertEquals(kernel, HostCpu.features());
        // never more than cpuid finds: cached code must not run on a CPU without a feature it uses
        assertTrue(HostCpu.cpuid().containsAll(HostCpu.features()));
    }

    /** Flags that leave an extension out (a kernel without "abm", an older CPU) or no readable file: cpuid decides. */
    @Test
    void cpuidRunsWhenTheKernelsFlagsAreIncompleteOrMissing(@TempDir Path dir) throws Exception {
        assumeTrue(Target.host() == Target.X86_64, "x86-64 only");
        Path withoutAbm = dir.resolve("cpuinfo");
        Files.writeString(withoutAbm, "processor\t: 0\nflags\t\t: fpu sse2 pni ssse3 sse4_1 sse4_2 popcnt avx avx2 bmi1 bmi2 fma\n\n");
        HostCpu.Detected d = HostCpu.run(withoutAbm.toString());
        assertEquals(HostCpu.Source.CPUID, d.source());
        assertEquals(HostCpu.cpuid(), d.features());
        assertEquals(HostCpu.Source.CPUID, HostCpu.run(dir.resolve("missing").toString()).source());
    }

    @Test
    void kernelFlagsAreReadFromTheFirstCpusFlagsLine(@TempDir Path dir) throws Exception {
        String cpu0 = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 pni ssse3 sse4_1 sse4_2 popcnt avx avx2 bmi1 bmi2 abm fma\n\n";
        String cpu1 = "processor\t: 1\nflags\t\t: fpu sse2 pni\n\n";
        assertEquals(EnumSet.allOf(CpuFeature.class), KernelCpuFlags.parse(cpu0 + cpu1));
        assertEquals(EnumSet.of(CpuFeature.SSE3, CpuFeature.SSE4_1), KernelCpuFlags.parse("flags : sse2 pni sse4_1 sse4_1 avx512f\n"));
        assertEquals(EnumSet.noneOf(CpuFeature.class), KernelCpuFlags.parse("flags\t:\n"));
        assertNull(KernelCpuFlags.parse("processor : 0\nflags : pni ssse3"), "an unfinished line");
        assertNull(KernelCpuFlags.parse("processor : 0\nvendor_id : x\n"));
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, cpu0 + cpu1);
        assertEquals(EnumSet.allOf(CpuFeature.class), KernelCpuFlags.read(file.toString()));
        assertNull(KernelCpuFlags.read(dir.resolve("missing").toString()));
    }

    @Test
    void hostBackendCompilesForTheHostLevel() {
        assumeTrue(Target.host() != null, "a native target");
        assertEquals(HostCpu.level(), Backends.host().cpu());
    }
}
