package dev.kiln.runtime.wasi;

/** Clocks a test sets by hand; sleeping advances them instead of blocking. */
final class FakeClocks implements WasiClocks {
    long realtime = 1_700_000_000_000_000_000L;
    long monotonic = 5_000_000_000L;
    long processCpu = 123_456_789L;
    long threadCpu = 23_456_789L;
    long slept;

    @Override
    public long realtimeNanos() {
        return realtime;
    }

    @Override
    public long monotonicNanos() {
        return monotonic;
    }

    @Override
    public long processCpuTimeNanos() {
        return processCpu;
    }

    @Override
    public long threadCpuTimeNanos() {
        return threadCpu;
    }

    @Override
    public long resolutionNanos(int clockId) {
        return 10L + clockId;
    }

    @Override
    public void sleepNanos(long nanos) {
        slept += nanos;
        monotonic += nanos;
        realtime += nanos;
    }
}
