package dev.kiln.tests.fuzz.engine;

import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.List;

/**
 * One way of running a module: a kiln tier, or an independent implementation (the oracle). The
 * differential check runs the same calls on several engines and compares what they observe. An
 * AArch64-under-QEMU side plugs in as one more implementation.
 *
 * <p>Engines hold one instance at a time; {@link #instantiate} replaces it. Nothing an engine
 * does with a module may throw except {@link EngineUnavailableException} (the engine itself is
 * broken, not the module): every other failure is an {@link Outcome} or a failed state read.
 */
public interface Engine extends AutoCloseable {
    String name();

    /**
     * Whether the engine computes some relaxed SIMD instructions other than as the spec's
     * deterministic profile says (wasmtime fuses multiply-adds and wraps dot products), so it
     * must get the module with those expanded into plain SIMD ({@link dev.kiln.tests.fuzz.wasm.RelaxedExpansion}).
     */
    default boolean needsRelaxedExpansion() {
        return false;
    }

    /** Instantiates {@code wasm}; null on success, else what went wrong (an exception, a trap). */
    String instantiate(byte[] wasm);

    /** Calls an export of the current instance; {@code params} and {@code results} are its type. */
    Outcome call(String export, List<NumType> params, List<NumType> results, long[] args);

    /**
     * Exported globals (raw bits, normalised to their type's width) and the exported memory's size
     * and SHA-256 (or null for {@code memory}).
     */
    EngineState state(List<String> globals, String memory);

    /** Every byte of an exported memory (for reporting where memories differ). */
    byte[] memory(String name);

    /** Releases the current instance and anything it holds. */
    @Override
    void close();
}
