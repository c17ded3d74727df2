package dev.kiln.tests.spec;

import dev.kiln.runtime.Store;

/** The {@code interp} tier: every function runs in the interpreter. */
public final class InterpTier extends ExecutionTier {
    @Override
    public String name() {
        return "interp";
    }

    @Override
    public Store newStore() {
        return new Store();
    }

    /** The interpreter also runs tail calls and typed function references (auto keeps what the backends decline interpreted). */
    @Override
    public java.util.Set<dev.kiln.frontend.WasmFeature> executes() {
        return dev.kiln.wast.RuntimeTier.INTERPRETED;
    }
}
