package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.wast.RuntimeTier;

import java.util.Set;

/** The {@code aarch64} tier: every function compiled to AArch64 and run natively (on an AArch64 JVM, e.g. under QEMU). */
public final class NativeAarch64Tier extends ExecutionTier {
    @Override
    public String name() {
        return "aarch64";
    }

    @Override
    public Set<WasmFeature> executes() {
        return RuntimeTier.nativeFeatures(Backends.forTarget(Target.AARCH64));
    }

    @Override
    public Store newStore() {
        return new Store().tier(Tier.NATIVE);
    }
}
