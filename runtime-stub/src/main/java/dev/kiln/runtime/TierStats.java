package dev.kiln.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the tiers did for a module, for {@code kiln run --stats}. */
final class TierStats {
    final AtomicInteger promoted = new AtomicInteger();
    final AtomicInteger boundFromCache = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger osr = new AtomicInteger();
    final AtomicInteger compiledCount = new AtomicInteger();
    final AtomicLong compileNanos = new AtomicLong();
    /** Background compilations asked for (promotions and OSR), and those dropped from the full queue unrun. */
    final AtomicInteger requested = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    private final List<Compile> compiles = new ArrayList<>();

    /**
     * One background compilation the compilers ran: {@code waitNanos} in the queue, then
     * {@code nanos} of wall time and {@code cpuNanos} of the compiler thread's CPU time.
     */
    record Compile(int funcIndex, boolean osr, long waitNanos, long nanos, long cpuNanos) {
    }

    void compiled(long nanos) {
        compiledCount.incrementAndGet();
        compileNanos.addAndGet(nanos);
    }

    synchronized void ran(Compile c) {
        compiles.add(c);
    }

    synchronized List<Compile> compiles() {
        return List.copyOf(compiles);
    }
}
