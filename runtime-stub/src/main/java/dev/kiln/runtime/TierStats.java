package dev.kiln.runtime;

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

    void compiled(long nanos) {
        compiledCount.incrementAndGet();
        compileNanos.addAndGet(nanos);
    }
}
