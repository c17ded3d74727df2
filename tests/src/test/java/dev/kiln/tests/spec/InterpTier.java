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
}
