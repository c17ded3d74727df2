package dev.kiln.runtime.wasi;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/**
 * The clocks behind {@code clock_time_get}, {@code clock_res_get} and the clock subscriptions of
 * {@code poll_oneoff}, all in nanoseconds. Tests supply a fake; {@link #system()} is the host's.
 */
public interface WasiClocks {
    /** Wall-clock time since 1970-01-01T00:00:00Z. */
    long realtimeNanos();

    /** A clock that never goes backwards; its origin is arbitrary. */
    long monotonicNanos();

    /** CPU time used by the whole process (the JVM). */
    long processCpuTimeNanos();

    /** CPU time used by the calling thread. */
    long threadCpuTimeNanos();

    /** Resolution of a clock, by preview 1 {@code clockid} (0 realtime .. 3 thread CPU time). */
    long resolutionNanos(int clockId);

    /** Blocks the calling thread for about {@code nanos} of monotonic time. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The host's clocks. */
    static WasiClocks system() {
        return SystemClocks.INSTANCE;
    }

    /** The host's clocks: {@link Instant#now}, {@link System#nanoTime}, and JVM CPU-time accounting. */
    final class SystemClocks implements WasiClocks {
        static final SystemClocks INSTANCE = new SystemClocks();

        private SystemClocks() {}

        @Override
        public long realtimeNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public long processCpuTimeNanos() {
            return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
        }

        @Override
        public long threadCpuTimeNanos() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long t = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
            return t >= 0 ? t : 0;
        }

        @Override
        public long resolutionNanos(int clockId) {
            return switch (clockId) {
                case WasiAbi.CLOCK_REALTIME -> 1_000; // Instant.now() on Linux: microseconds
                case WasiAbi.CLOCK_PROCESS_CPUTIME -> 10_000_000; // /proc accounting: clock ticks
                default -> 1;
            };
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }
}
