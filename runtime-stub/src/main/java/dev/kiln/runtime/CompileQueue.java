package dev.kiln.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The background compilers' work: a bounded set of requests, each taken hottest first by its
 * heat as it is when a compiler becomes free (not when it was queued), run by a fixed number of
 * daemon threads started on first use. When the set is full, the coldest droppable request is
 * dropped to make room (its {@code onDrop} runs); a request that cannot be dropped is always kept.
 * Choosing scans the pending requests (at most the bound), far cheaper than the compile it picks.
 *
 * <p>A {@link CompilePace} bounds what the compilers compile by what the program has run: the
 * hottest request waits (and the compiler with it) until its cost is earned, and, when it would switch
 * its store to native code, until the switch is ({@link CompilePace#affordsSwitch}). Draining the queue
 * ({@link #awaitIdle}: {@code Engine.awaitCompilations}, tests) lifts the bound; a write-back only
 * waits for the compiles running ({@link #awaitRunning}).
 */
final class CompileQueue {
    /**
     * A compilation to run: {@code heat} says how hot its function is now, {@code work} compiles and
     * binds, {@code onDrop} (null: never dropped) runs when it is dropped unrun; {@code cost} is the
     * function's body size in bytes, what the pace charges for it; {@code storeSwitch} (null: never
     * switches) says whether running it now switches its store to native code.
     */
    record Request(LongSupplier heat, Runnable work, Runnable onDrop, long cost, StoreSwitch storeSwitch) {
        Request(LongSupplier heat, Runnable work, Runnable onDrop, long cost) {
            this(heat, work, onDrop, cost, null);
        }

        Request(LongSupplier heat, Runnable work, Runnable onDrop) {
            this(heat, work, onDrop, 0);
        }

        /** Whether the pace allows it now: its cost, and the switch to native code it makes, are earned. */
        boolean earned(CompilePace pace) {
            if (!pace.affords(cost)) return false;
            return storeSwitch == null || !storeSwitch.pending() || pace.affordsSwitch(storeSwitch.functionEvents());
        }
    }

    /** A request's store, which its work switches to native code when it runs none yet. */
    interface StoreSwitch {
        /** Whether the store runs no native code yet (running the request would switch it). */
        boolean pending();

        /** The interpreter events (calls and loop back-edges) the request's function has run. */
        long functionEvents();
    }

    /** How long a compiler whose next request is not earned yet sleeps before it looks again. */
    static final long PACE_RECHECK_MILLIS = 10;

    private final int bound;
    private final int threads;
    private final CompilePace pace;
    private final List<Request> pending = new ArrayList<>();
    private int running;
    private int started;
    private int draining;
    private long paceWaits;

    CompileQueue(int bound, int threads) {
        this(bound, threads, CompilePace.unbounded());
    }

    CompileQueue(int bound, int threads, CompilePace pace) {
        this.bound = bound;
        this.threads = threads;
        this.pace = pace;
    }

    /** The pace that bounds this queue's compiles (the interpreter reports its progress to it). */
    CompilePace pace() {
        return pace;
    }

    void add(Request r) {
        Runnable dropped = null;
        synchronized (this) {
            if (pending.size() >= bound) {
                int coldest = coldestDroppable();
                if (coldest >= 0 && (r.onDrop() == null || pending.get(coldest).heat().getAsLong() < r.heat().getAsLong())) {
                    dropped = pending.remove(coldest).onDrop();
                } else if (r.onDrop() != null) {
                    dropped = r.onDrop(); // colder than everything waiting: the newcomer goes
                    r = null;
                }
            }
            if (r != null) pending.add(r);
            if (started < threads && started < pending.size() + running) startCompiler();
            notifyAll();
        }
        if (dropped != null) dropped.run();
    }

    /** Requests waiting (for tests). */
    synchronized int pending() {
        return pending.size();
    }

    /** How many times a compiler found the hottest request not earned yet and waited (for tests). */
    synchronized long paceWaits() {
        return paceWaits;
    }

    private int coldestDroppable() {
        int best = -1;
        long bestHeat = Long.MAX_VALUE;
        for (int i = 0; i < pending.size(); i++) {
            Request q = pending.get(i);
            if (q.onDrop() == null) continue;
            long h = q.heat().getAsLong();
            if (h < bestHeat) {
                bestHeat = h;
                best = i;
            }
        }
        return best;
    }

    /** The hottest request once its cost is earned (or the queue drains); the program runs on meanwhile. */
    private Request takeHottest() throws InterruptedException {
        synchronized (this) {
            while (true) {
                while (pending.isEmpty()) wait();
                int best = hottest();
                Request r = pending.get(best);
                if (draining == 0 && !r.earned(pace)) {
                    paceWaits++;
                    wait(PACE_RECHECK_MILLIS);
                    continue;
                }
                pace.spend(r.cost());
                running++;
                return pending.remove(best);
            }
        }
    }

    private int hottest() {
        int best = 0;
        long bestHeat = Long.MIN_VALUE;
        for (int i = 0; i < pending.size(); i++) {
            long h = pending.get(i).heat().getAsLong();
            if (h > bestHeat) {
                bestHeat = h;
                best = i;
            }
        }
        return best;
    }

    private void startCompiler() {
        started++;
        Thread t = new Thread(this::serve, "kiln-compiler-" + started);
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    private void serve() {
        while (true) {
            Request r;
            try {
                r = takeHottest();
            } catch (InterruptedException e) {
                return;
            }
            try {
                r.work().run();
            } catch (RuntimeException | OutOfMemoryError e) {
                // a compilation's failure is the request's own business (it counts it); the compiler
                // goes on. Out of heap: the compile's own memory is garbage now, its function stays
                // interpreted, and the program must not die of a background compile
            } catch (Error e) {
                synchronized (this) {
                    started--; // this compiler ends; the next request starts another
                }
                throw e;
            } finally {
                synchronized (this) {
                    running--;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no compile is running; what is pending stays pending (not earned yet, or not
     * started): before writing back at the end of a run, what was compiled is stored and nothing more
     * is compiled for it.
     */
    synchronized void awaitRunning() throws InterruptedException {
        while (running > 0) wait();
    }

    /** Waits until nothing is pending or running; what is pending is compiled now, earned or not. */
    synchronized void awaitIdle() throws InterruptedException {
        draining++;
        notifyAll();
        try {
            while (!pending.isEmpty() || running > 0) wait();
        } finally {
            draining--;
        }
    }
}
