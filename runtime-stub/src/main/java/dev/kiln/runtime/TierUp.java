package dev.kiln.runtime;

import dev.kiln.interpreter.CompiledFunction;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private static final CompileQueue QUEUE = new CompileQueue(QUEUE_BOUND, compilerThreads(), CompilePace.standard());
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TierUp() {
    }

    /** One compiler per core but one (the program's own thread keeps running in the interpreter), at most 4. */
    static int compilerThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * Has hot function {@code f} of {@code instance} compiled and bound by the background compilers,
     * switching the store to native code first when it was not yet (when the first compile earned
     * starts, see {@link CompilePace}). Queued compilations refer to their instance weakly: one dropped
     * while its compilations wait is collected (and its module's code freed) instead of compiled for.
     */
    static void request(Instance instance, CompiledFunction f) {
        request(QUEUE, instance, f);
    }

    /** {@link #request(Instance, CompiledFunction)} on {@code queue} (tests use their own). */
    static void request(CompileQueue queue, Instance instance, CompiledFunction f) {
        int funcIndex = f.funcIndex;
        Queued queued = new Queued(instance);
        park(f);
        queue.add(new CompileQueue.Request(() -> heat(f), queued.work(funcIndex, false, m -> m.promote(funcIndex), f), () -> {
            // dropped unheard: let the interpreter report it again should it stay hot (this unparks it too)
            queued.dropped();
            f.hotness = 0;
            f.reportedHot = false;
        }, bodyBytes(instance, funcIndex), queued.storeSwitch(f)));
    }

    /**
     * Taken off a waiting function's hotness: once hot, every call and loop back-edge of a function
     * takes the interpreter's slow path (the check for its OSR continuation), which costs a short
     * run whose compiles are not earned (see {@link CompilePace}) several percent; parked, its counter
     * is far below the threshold again, and its heat (what the queue orders by) is the counter plus this.
     */
    static final long PARKED = 1L << 60;
    /** Functions whose compile ran: unparked by the next interpreter poll (on the thread that counts them). */
    private static final ConcurrentLinkedQueue<CompiledFunction> UNPARK = new ConcurrentLinkedQueue<>();

    /** Called on the interpreter's thread (the one that counts {@code f}), when it reports {@code f} hot. */
    private static void park(CompiledFunction f) {
        if (f.hotness >= 0) f.hotness -= PARKED;
    }

    /** How hot {@code f} is, parked or not. */
    static long heat(CompiledFunction f) {
        long h = f.hotness;
        return h < 0 ? h + PARKED : h;
    }

    /**
     * Unparks the functions whose compile ran: their loops still running in the interpreter take the
     * slow path again, where they find their OSR continuation (or ask for it). Called by the interpreter
     * at its polls, so the counter is written by the thread that counts it.
     */
    static void unparkCompiled() {
        for (CompiledFunction f; (f = UNPARK.poll()) != null; ) {
            if (f.hotness < 0) f.hotness += PARKED;
        }
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
    static void requestOsr(Instance instance, CompiledFunction f, int osrIndex) {
        Queued queued = new Queued(instance);
        // a loop still running in the interpreter: never dropped (there is one request per loop header)
        QUEUE.add(new CompileQueue.Request(() -> heat(f),
                queued.work(f.funcIndex, true, m -> compileOsrUnlessNative(m, f, osrIndex), f), null,
                bodyBytes(instance, f.funcIndex), queued.storeSwitch(f)));
    }

    /** What the pace charges for compiling function {@code funcIndex}: its body's size in bytes. */
    private static long bodyBytes(Instance instance, int funcIndex) {
        return instance.module().validated().module().body(funcIndex).codeLength();
    }

    /**
     * A request's hold on its instance (weak), and its place in the module's statistics: counted as
     * requested when made if the store runs native code already, else when it runs (a request dropped
     * before the switch to native code has no module statistics to count in).
     */
    private static final class Queued {
        private final WeakReference<Instance> instance;
        private final boolean counted;

        Queued(Instance instance) {
            this.instance = new WeakReference<>(instance);
            NativeModule m = instance.nativeModule();
            this.counted = m != null;
            if (counted) m.stats.requested.incrementAndGet();
        }

        /** The switch to native code running the request for {@code f} makes while its store runs none yet. */
        CompileQueue.StoreSwitch storeSwitch(CompiledFunction f) {
            return new CompileQueue.StoreSwitch() {
                @Override
                public boolean pending() {
                    Instance i = instance.get();
                    return i != null && i.nativeModule() == null;
                }

                @Override
                public long functionEvents() {
                    return f.calls + f.backEdges;
                }
            };
        }

        void dropped() {
            Instance i = instance.get();
            NativeModule m = i == null || !counted ? null : i.nativeModule();
            if (m != null) m.stats.dropped.incrementAndGet();
        }

        /**
         * The work: {@code compile} on the instance's native code (switching its store to native code
         * first) unless the instance was collected or cannot run native code, with its wait in the queue,
         * its wall time and its compiler thread's CPU time recorded in the module's stats.
         */
        Runnable work(int funcIndex, boolean osr, Consumer<NativeModule> compile, CompiledFunction f) {
            long requested = System.nanoTime();
            return () -> {
                Instance i = instance.get();
                if (i == null) return;
                long start = System.nanoTime();
                long cpu = THREADS.getCurrentThreadCpuTime();
                try {
                    NativeModule m = i.activatedNativeModule();
                    if (m == null) return;
                    if (!counted) m.stats.requested.incrementAndGet();
                    compile.accept(m);
                    m.stats.ran(new TierStats.Compile(funcIndex, osr, start - requested, System.nanoTime() - start,
                            THREADS.getCurrentThreadCpuTime() - cpu));
                } finally {
                    UNPARK.add(f);
                }
            };
        }
    }

    static void compileOsrUnlessNative(NativeModule module, CompiledFunction f, int osrIndex) {
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
