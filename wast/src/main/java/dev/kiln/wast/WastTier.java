package dev.kiln.wast;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.runtime.Store;

import java.util.Set;

/**
 * One way of running scripts: a store per script (the interpreter, native code, tier-up, ...) and
 * the WebAssembly features it executes. Commands on modules that use other features are counted as
 * not run, never as passed; a tier gains a feature by adding it to {@link #executes()}.
 */
public interface WastTier {
    /** The tier's name in reports: interp, x86_64, aarch64, auto, frontend. */
    String name();

    /** The features whose modules this tier runs. */
    Set<WasmFeature> executes();

    /** A fresh store for one script; null for a tier that only decodes and validates modules. */
    Store newStore();
}
