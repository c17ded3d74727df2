package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Store;
import dev.kiln.wast.RuntimeTier;
import dev.kiln.wast.WastTier;

import java.util.Set;

/**
 * A tier that runs scripts by executing them (the interpreter, native code, tier-up); subclasses
 * choose how functions execute by configuring the store. The features executed are
 * {@link RuntimeTier#EXECUTED}: WebAssembly 2.0 without SIMD. A tier that executes more (SIMD, a
 * 3.0 proposal) overrides {@link #executes()}; commands of modules that use other features count as
 * not run.
 */
public abstract class ExecutionTier implements WastTier {
    @Override
    public Set<WasmFeature> executes() {
        return RuntimeTier.EXECUTED;
    }

    @Override
    public abstract Store newStore();
}
