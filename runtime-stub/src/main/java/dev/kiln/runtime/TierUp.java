package dev.kiln.runtime;

import dev.kiln.interpreter.CompiledFunction;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.util.function.Consumer;

/**
 * Promotion of hot functions: the interpreter counts calls and loop back-edges per function; a
 * function is hot once {@code calls / hotCalls + backEdges / hotLoops >= 1} (the thresholds of the
 * store's {@link Engine}), and is then compiled by the process's background compilers (or on the
 * calling thread when the engine says so) and bound, which swaps its slot to native code.
 *
 * <p>Requests wait in one {@link CompileQueue}: the compilers take the function that is hottest
 * <em>now</em> (its counters keep rising while it waits), and the queue is bounded, so a program
 * that makes thousands of functions hot at once does not queue minutes of compiling for
 * functions that ran a few hundred times in start-up code.
 */
final class TierUp {
    /** Requests that may wait; past this, the coldest promotion is dropped (and may be requested again). */
    static final int QUEUE_BOUND = 128;
    private static final CompileQueue QUEUE = new CompileQueue(QUEUE_BOUND, compilerThreads(),
            new CompilePace(CompilePace.ALLOWANCE_BYTES, CompilePace.EVENTS_PER_BYTE));
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TierUp() {
    }

    /** One compiler per core but one (the program's own thread keeps running in the interpreter), at most 4. */
    static int compilerThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * Queued compilations refer to their module weakly: a module dropped while its compilations wait
     * is collected (and its code freed) instead of being compiled for nothing.
     */
    static void request(NativeModule module, CompiledFunction f, boolean sync) {
        int funcIndex = f.funcIndex;
        if (sync) {
            module.promote(funcIndex);
            return;
        }
        WeakReference<NativeModule> queued = new WeakReference<>(module);
        module.stats.requested.incrementAndGet();
        QUEUE.add(new CompileQueue.Request(() -> f.hotness, recorded(queued, funcIndex, false, m -> m.promote(funcIndex)), () -> {
            // dropped unheard: let the interpreter report it again should it stay hot
            NativeModule m = queued.get();
            if (m != null) m.stats.dropped.incrementAndGet();
            f.hotness = 0;
            f.reportedHot = false;
        }, module.bodyBytes(funcIndex)));
    }

    /**
     * Compiles an OSR continuation for a hot loop and publishes it where the interpreter looks.
     *
     * <p>An OSR variant is a compile of the whole function, one per loop header, and serves only the
     * activations running in the interpreter at the time. When the function itself is already native
     * by the time the request is served (its promotion, requested as it became hot, came first), new
     * calls run natively, and the request is declined once: the header is re-armed, and only an
     * activation still looping in the interpreter asks again, which is then compiled. A huge function
     * entered often for a few iterations each time (SQLite's {@code sqlite3VdbeExec}: 50 KB of code,
     * ~80 back-edges per call) otherwise got a full compile for every loop header its last
     * interpreted activations passed, each as slow as the promotion itself.
     */
    static void requestOsr(NativeModule module, CompiledFunction f, int osrIndex, boolean sync) {
        if (sync) {
            compileOsrUnlessNative(module, f, osrIndex);
            return;
        }
        WeakReference<NativeModule> queued = new WeakReference<>(module);
        module.stats.requested.incrementAndGet();
        // a loop still running in the interpreter: never dropped (there is one request per loop header)
        QUEUE.add(new CompileQueue.Request(() -> f.hotness,
                recorded(queued, f.funcIndex, true, m -> compileOsrUnlessNative(m, f, osrIndex)), null, module.bodyBytes(f.funcIndex)));
    }

    /**
     * The work of a request: {@code compile} on the module unless it was collected meanwhile, with its
     * wait in the queue, its wall time and its compiler thread's CPU time recorded in the module's stats.
     */
    private static Runnable recorded(WeakReference<NativeModule> queued, int funcIndex, boolean osr, Consumer<NativeModule> compile) {
        long requested = System.nanoTime();
        return () -> {
            NativeModule m = queued.get();
            if (m == null) return;
            long start = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            compile.accept(m);
            m.stats.ran(new TierStats.Compile(funcIndex, osr, start - requested, System.nanoTime() - start,
                    THREADS.getCurrentThreadCpuTime() - cpu));
        };
    }

    private static void compileOsrUnlessNative(NativeModule module, CompiledFunction f, int osrIndex) {
        if (module.bound(f.funcIndex) && module.declineOsrOnce(f.funcIndex, osrIndex)) {
            f.rearmOsr(osrIndex);
            return;
        }
        compileOsr(module, f, osrIndex);
    }

    private static void compileOsr(NativeModule module, CompiledFunction f, int osrIndex) {
        try {
            f.osrEntries[osrIndex] = module.compileOsr(f.funcIndex, f.osrBlocks[osrIndex]);
        } catch (RuntimeException | OutOfMemoryError e) {
            // e.g. SIMD, a full code space, a function over the compile budget: the loop stays interpreted
            module.stats.failed.incrementAndGet();
        }
    }

    /** The program ran {@code events} more interpreter events (calls and back-edges): what earns compiles ({@link CompilePace}). */
    static void progress(long events) {
        QUEUE.pace().progress(events);
    }

    /** Interpreter events counted in this process so far, all stores (for {@code --stats}). */
    static long events() {
        return QUEUE.pace().events();
    }

    /** Waits until every requested compilation has finished, earned or not ({@code Engine.awaitCompilations}, tests). */
    static void drain() {
        awaiting(QUEUE::awaitIdle);
    }

    /** Waits until the compilations running have finished, and compiles nothing more for it (before writing the cache back). */
    static void settle() {
        awaiting(QUEUE::awaitRunning);
    }

    private interface Wait {
        void run() throws InterruptedException;
    }

    private static void awaiting(Wait w) {
        try {
            w.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
