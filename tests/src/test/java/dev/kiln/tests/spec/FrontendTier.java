package dev.kiln.tests.spec;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Store;
import dev.kiln.wast.WastTier;

import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code frontend} tier: decoding and validation only. Runs {@code module} (decode and
 * validate), {@code assert_malformed} and {@code assert_invalid}; commands that need execution are
 * not run. It reads all of WebAssembly 3.0.
 */
public final class FrontendTier implements WastTier {
    @Override
    public String name() {
        return "frontend";
    }

    @Override
    public Set<WasmFeature> executes() {
        return EnumSet.allOf(WasmFeature.class);
    }

    @Override
    public Store newStore() {
        return null;
    }
}
