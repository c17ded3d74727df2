package dev.kiln.runtime.internal;

import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;

/** The backend for each CPU level: the one place that names the backend modules. */
public final class Backends {
    private Backends() {
    }

    /** The backend that compiles for {@code cpu}. */
    public static Backend forCpu(CpuFeatures cpu) {
        return switch (cpu.target()) {
            case X86_64 -> X64Backend.forCpu(cpu);
            case AARCH64 -> A64Backend.INSTANCE;
        };
    }

    /** The backend for {@code t}'s lowest level (code that runs on every CPU of the architecture). */
    public static Backend forTarget(Target t) {
        return forCpu(CpuFeatures.levels(t).get(0));
    }

    /** The backend for the machine this JVM runs on (its CPU's level), or null when there is none. */
    public static Backend host() {
        CpuFeatures level = HostCpu.level();
        return level == null ? null : forCpu(level);
    }
}
