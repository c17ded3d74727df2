package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.HostCpu;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.wast.RuntimeTier;

import java.util.Set;

/**
 * The {@code x86_64} tier: every function compiled to x86-64 and run natively, for this machine's
 * CPU level, or for a lower one (named {@code x86_64@LEVEL} in reports). SIMD and relaxed SIMD run
 * at levels with SSE4.1 (x86_64-v2 and up); the baseline level runs WebAssembly 2.0 without SIMD.
 */
public final class NativeX64Tier extends ExecutionTier {
    private final CpuFeatures level;

    /** For this machine's CPU level. */
    public NativeX64Tier() {
        this(null);
    }

    /** For {@code level} (which this machine must run), or this machine's when null. */
    public NativeX64Tier(CpuFeatures level) {
        this.level = level;
    }

    @Override
    public String name() {
        return level == null ? "x86_64" : "x86_64@" + level;
    }

    @Override
    public Set<WasmFeature> executes() {
        CpuFeatures cpu = level != null ? level : HostCpu.level();
        return RuntimeTier.nativeFeatures(Backends.forCpu(cpu));
    }

    @Override
    public Store newStore() {
        Store s = new Store().tier(Tier.NATIVE);
        return level == null ? s : s.cpu(CodeTarget.parse(level.name()));
    }
}
