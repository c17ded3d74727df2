package dev.kiln.tests.spec;

import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;

/** The {@code x86_64} tier: every function compiled to x86-64 and run natively. */
public final class NativeX64Tier extends ExecutionTier {
    @Override
    public String name() {
        return "x86_64";
    }

    @Override
    protected Store newStore() {
        return new Store().tier(Tier.NATIVE);
    }

    @Override
    protected boolean executesSimd() {
        return false; // the backend does not lower SIMD yet
    }
}
