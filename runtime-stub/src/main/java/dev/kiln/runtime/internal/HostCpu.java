package dev.kiln.runtime.internal;

import dev.kiln.backend.x64.X64CpuId;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CFunction;
import dev.kiln.linker.ExecutableMemory;
import dev.kiln.linker.InstructionCacheMaintenance;
import dev.kiln.linker.PlacedFunction;
import dev.kiln.linker.SymbolResolver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The instruction-set extensions of the CPU this JVM runs on, found once. On x86-64 Linux kiln
 * reads the kernel's flags ({@link KernelCpuFlags}: a file read); when they do not name every
 * extension kiln tracks (another OS, an older CPU, a kernel that leaves one out), it runs
 * {@code cpuid} (and {@code xgetbv}, to see that the OS saves the AVX registers) from a small
 * routine it places itself, called through a downcall (about 30 ms of a cold JVM's start). The
 * result is the highest {@link CpuFeatures} level the CPU has, which native code compiled here may
 * use and which cached code must not exceed.
 */
public final class HostCpu {
    private static volatile Detected detected;

    /** What detection found: every extension seen, the level kiln compiles for, and where it was read. */
    public record Detected(Set<CpuFeature> features, CpuFeatures level, Source source) {
    }

    /** Where the extensions were read. */
    public enum Source { NONE, KERNEL_FLAGS, CPUID }

    /** The kernel's description of the CPUs (Linux). */
    static final String CPUINFO = "/proc/cpuinfo";

    private HostCpu() {
    }

    /** The host's level (null when kiln has no backend for this architecture). */
    public static CpuFeatures level() {
        return detect().level();
    }

    /** Every extension detected (empty on AArch64, whose level needs none). */
    public static Set<CpuFeature> features() {
        return detect().features();
    }

    /** How the host was detected: {@link Source#KERNEL_FLAGS} when no {@code cpuid} routine had to run. */
    public static Source source() {
        return detect().source();
    }

    private static Detected detect() {
        Detected d = detected;
        if (d == null) {
            synchronized (HostCpu.class) {
                if (detected == null) detected = run(CPUINFO);
                d = detected;
            }
        }
        return d;
    }

    /** Detection on this machine, with the kernel's description of the CPUs read from {@code cpuinfo}. */
    static Detected run(String cpuinfo) {
        Target t = Target.host();
        if (t == null) return new Detected(Set.of(), null, Source.NONE);
        if (t == Target.AARCH64) return new Detected(Set.of(), CpuFeatures.AARCH64, Source.NONE);
        Set<CpuFeature> kernel = KernelCpuFlags.read(cpuinfo);
        if (kernel != null && kernel.containsAll(EnumSet.allOf(CpuFeature.class))) {
            return new Detected(kernel, CpuFeatures.best(Target.X86_64, kernel), Source.KERNEL_FLAGS);
        }
        Set<CpuFeature> f = cpuid();
        return new Detected(f, CpuFeatures.best(Target.X86_64, f), Source.CPUID);
    }

    /** The extensions {@code cpuid} and {@code xgetbv} report, run from a routine placed in executable memory. */
    static Set<CpuFeature> cpuid() {
        try (Arena arena = Arena.ofConfined();
             ExecutableMemory code = new ExecutableMemory(Backends.forCpu(CpuFeatures.X86_64).relocationModel(),
                     InstructionCacheMaintenance.NONE, 1 << 16)) {
            List<PlacedFunction> placed = code.placeAll(List.of(X64CpuId.cpuid("kiln_cpuid"), X64CpuId.xgetbv("kiln_xgetbv")),
                    SymbolResolver.none());
            CFunction cpuid = CFunction.at("cpuid", placed.get(0).address(), CFunction.Kind.PLAIN);
            CFunction xgetbv = CFunction.at("xgetbv", placed.get(1).address(), CFunction.Kind.PLAIN);
            MemorySegment out = arena.allocate(16, 8);
            int maxLeaf = call(cpuid, 0, 0, out)[0];
            int[] leaf1 = call(cpuid, 1, 0, out);
            int[] leaf7 = maxLeaf >= 7 ? call(cpuid, 7, 0, out) : new int[4];
            int maxExtended = call(cpuid, 0x8000_0000, 0, out)[0];
            int[] ext1 = Integer.compareUnsigned(maxExtended, 0x8000_0001) >= 0 ? call(cpuid, 0x8000_0001, 0, out) : new int[4];
            int ecx = leaf1[2];
            boolean osAvx = false;
            if (bit(ecx, 27)) { // OSXSAVE: xgetbv is allowed; XCR0 bits 1 and 2: the OS saves XMM and YMM state
                xgetbv.call(0, out.address());
                osAvx = (out.get(ValueLayout.JAVA_INT, 0) & 6) == 6;
            }
            EnumSet<CpuFeature> f = EnumSet.noneOf(CpuFeature.class);
            if (bit(ecx, 0)) f.add(CpuFeature.SSE3);
            if (bit(ecx, 9)) f.add(CpuFeature.SSSE3);
            if (bit(ecx, 19)) f.add(CpuFeature.SSE4_1);
            if (bit(ecx, 20)) f.add(CpuFeature.SSE4_2);
            if (bit(ecx, 23)) f.add(CpuFeature.POPCNT);
            if (bit(ecx, 28) && osAvx) f.add(CpuFeature.AVX);
            if (bit(ecx, 12) && osAvx) f.add(CpuFeature.FMA);
            if (bit(leaf7[1], 5) && osAvx) f.add(CpuFeature.AVX2);
            if (bit(leaf7[1], 3)) f.add(CpuFeature.BMI1);
            if (bit(leaf7[1], 8)) f.add(CpuFeature.BMI2);
            if (bit(ext1[2], 5)) f.add(CpuFeature.LZCNT);
            return f;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot run cpuid", e);
        }
    }

    private static int[] call(CFunction cpuid, int leaf, int subleaf, MemorySegment out) {
        cpuid.call(leaf, subleaf, out.address());
        return new int[] {out.get(ValueLayout.JAVA_INT, 0), out.get(ValueLayout.JAVA_INT, 4), out.get(ValueLayout.JAVA_INT, 8),
                out.get(ValueLayout.JAVA_INT, 12)};
    }

    private static boolean bit(int word, int bit) {
        return (word >>> bit & 1) != 0;
    }
}
