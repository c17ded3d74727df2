package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.Outcome;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what a run exercised, per reference outcome: modules, calls, returns, uncaught exceptions, traps by kind. */
public final class FuzzStats {
    private final AtomicLong modules = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong uncaught = new AtomicLong();
    private final Map<String, Long> traps = new TreeMap<>();

    void module() {
        modules.incrementAndGet();
    }

    synchronized void call(Outcome reference) {
        calls.incrementAndGet();
        if (reference.trap() != null) traps.merge(reference.trap().message, 1L, Long::sum);
        else if (reference.uncaught()) uncaught.incrementAndGet();
        else if (reference.failure() == null) returned.incrementAndGet();
    }

    public long modules() {
        return modules.get();
    }

    @Override
    public synchronized String toString() {
        return modules + " modules, " + calls + " calls: " + returned + " returned, " + uncaught + " uncaught exceptions, traps " + traps;
    }
}
