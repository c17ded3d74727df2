package dev.kiln.runtime;

import dev.kiln.interpreter.Interpreter;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Promotion of hot functions: the interpreter counts calls and loop back-edges per function; a
 * function is hot once {@code calls / hotCalls + backEdges / hotLoops >= 1}, and is then compiled
 * on a background thread (or on the calling thread with {@link #jitSync}) and bound, which swaps
 * its slot to native code.
 */
public final class TierUp {
    /** Defaults: a loop's back-edges weigh ten times less per event than calls, but loops run far more often. */
    public static final int DEFAULT_HOT_CALLS = 1000;
    public static final int DEFAULT_HOT_LOOPS = 10_000;

    private static final ExecutorService COMPILER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-compiler");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });
    private static volatile boolean sync;
    private static volatile int hotCalls = DEFAULT_HOT_CALLS;
    private static volatile int hotLoops = DEFAULT_HOT_LOOPS;

    private TierUp() {
    }

    /** Sets the thresholds and whether hot functions compile on the calling thread (deterministic, for tests). */
    public static synchronized void configure(int calls, int loops, boolean jitSync) {
        if (calls < 1 || loops < 1) throw new IllegalArgumentException("thresholds must be at least 1");
        hotCalls = calls;
        hotLoops = loops;
        sync = jitSync;
        enable();
    }

    static synchronized void enable() {
        Interpreter.callWeight = hotLoops;
        Interpreter.loopWeight = hotCalls;
        Interpreter.hotThreshold = (long) hotCalls * hotLoops;
    }

    /**
     * Queued compilations refer to their module weakly: a module dropped while its compilations wait
     * is collected (and its code freed) instead of being compiled for nothing.
     */
    static void request(NativeModule module, int funcIndex) {
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
    static void requestOsr(NativeModule module, dev.kiln.interpreter.CompiledFunction f, int osrIndex) {
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

    private static void compileOsr(NativeModule module, dev.kiln.interpreter.CompiledFunction f, int osrIndex) {
        try {
            f.osrEntries[osrIndex] = module.compileOsr(f.funcIndex, f.osrBlocks[osrIndex]);
        } catch (RuntimeException e) {
            module.stats.failed.incrementAndGet(); // e.g. SIMD, or a full code space: the loop stays interpreted
        }
    }

    /** Waits until every requested compilation has finished (tests, and before writing the cache back). */
    public static void drain() {
        try {
            COMPILER.submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
