package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Store;
import dev.kiln.wast.RuntimeTier;

import java.util.Set;

/** The {@code interp} tier: every function runs in the interpreter, SIMD and relaxed SIMD included. */
public final class InterpTier extends ExecutionTier {
    @Override
    public String name() {
        return "interp";
    }

    @Override
    public Set<WasmFeature> executes() {
        return RuntimeTier.INTERPRETED;
    }

    @Override
    public Store newStore() {
        return new Store();
    }
}
