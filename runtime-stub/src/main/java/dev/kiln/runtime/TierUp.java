package dev.kiln.runtime;

import dev.kiln.interpreter.CompiledFunction;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Promotion of hot functions: the interpreter counts calls and loop back-edges per function; a
 * function is hot once {@code calls / hotCalls + backEdges / hotLoops >= 1} (the thresholds of the
 * store's {@link Engine}), and is then compiled on the one background compiler thread of the
 * process (or on the calling thread when the engine says so) and bound, which swaps its slot to
 * native code.
 */
final class TierUp {
    private static final ExecutorService COMPILER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-compiler");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });

    private TierUp() {
    }

    /**
     * Queued compilations refer to their module weakly: a module dropped while its compilations wait
     * is collected (and its code freed) instead of being compiled for nothing.
     */
    static void request(NativeModule module, int funcIndex, boolean sync) {
        if (sync) {
            module.promote(funcIndex);
            return;
        }
        WeakReference<NativeModule> queued = new WeakReference<>(module);
        COMPILER.execute(() -> {
            NativeModule m = queued.get();
            if (m != null) m.promote(funcIndex);
        });
    }

    /** Compiles an OSR continuation for a hot loop and publishes it where the interpreter looks. */
    static void requestOsr(NativeModule module, CompiledFunction f, int osrIndex, boolean sync) {
        if (sync) {
            compileOsr(module, f, osrIndex);
            return;
        }
        WeakReference<NativeModule> queued = new WeakReference<>(module);
        COMPILER.execute(() -> {
            NativeModule m = queued.get();
            if (m != null) compileOsr(m, f, osrIndex);
        });
    }

    private static void compileOsr(NativeModule module, CompiledFunction f, int osrIndex) {
        try {
            f.osrEntries[osrIndex] = module.compileOsr(f.funcIndex, f.osrBlocks[osrIndex]);
        } catch (RuntimeException e) {
            module.stats.failed.incrementAndGet(); // e.g. SIMD, or a full code space: the loop stays interpreted
        }
    }

    /** Waits until every requested compilation has finished (tests, and before writing the cache back). */
    static void drain() {
        try {
            COMPILER.submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
