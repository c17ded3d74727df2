package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.enumValue;
import static dev.kiln.runtime.wasi.WasiFunctionSet.u32;

import dev.kiln.runtime.ProcessExit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Arguments, environment, clocks, randomness and process control: {@code args_*},
 * {@code environ_*}, {@code clock_*}, {@code random_get}, {@code proc_exit}, {@code proc_raise},
 * {@code sched_yield}.
 */
final class ProcessFunctions {
    private final byte[][] args;
    private final byte[][] environ;
    private final WasiClocks clocks;
    private final Random random;

    ProcessFunctions(WasiConfig config) {
        this.args = encode(config.argv());
        this.environ = encode(config.environment().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        this.clocks = config.clocks();
        this.random = config.random();
    }

    private static byte[][] encode(List<String> strings) {
        return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    void register(WasiFunctionSet set) {
        set.add("args_get", "ii", (m, a) -> writeStrings(m, args, u32(a[0]), u32(a[1])));
        set.add("args_sizes_get", "ii", (m, a) -> writeSizes(m, args, u32(a[0]), u32(a[1])));
        set.add("environ_get", "ii", (m, a) -> writeStrings(m, environ, u32(a[0]), u32(a[1])));
        set.add("environ_sizes_get", "ii", (m, a) -> writeSizes(m, environ, u32(a[0]), u32(a[1])));
        set.add("clock_res_get", "ii", (m, a) -> {
            int id = enumValue(a[0], WasiAbi.CLOCK_THREAD_CPUTIME, "clockid");
            m.storeU64(u32(a[1]), clocks.resolutionNanos(id));
        });
        set.add("clock_time_get", "iIi", (m, a) -> {
            int id = enumValue(a[0], WasiAbi.CLOCK_THREAD_CPUTIME, "clockid");
            m.storeU64(u32(a[2]), now(id)); // the precision argument is a hint; ignored
        });
        set.add("random_get", "ii", (m, a) -> {
            long buf = u32(a[0]);
            long len = u32(a[1]);
            m.checkRange(buf, len);
            byte[] chunk = new byte[(int) Math.min(len, GuestMemory.CHUNK)];
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(chunk.length, len - done);
                if (n < chunk.length) chunk = new byte[n];
                random.nextBytes(chunk);
                m.writeBytes(buf + done, chunk, 0, n);
                done += n;
            }
        });
        set.addNoReturn("proc_exit", "i", (m, a) -> {
            long status = u32(a[0]);
            if (status >= WasiAbi.EXIT_STATUS_LIMIT) {
                throw GuestFault.trap("exit with invalid exit status outside of [0..126)");
            }
            throw new ProcessExit((int) status);
        });
        set.add("proc_raise", "i", (m, a) -> {
            enumValue(a[0], WasiAbi.SIGNAL_MAX, "signal");
            throw new ErrnoException(Errno.ENOTSUP);
        });
        set.add("sched_yield", "", (m, a) -> Thread.yield());
    }

    /** The current value of a clock, by {@code clockid}. */
    long now(int clockId) {
        return switch (clockId) {
            case WasiAbi.CLOCK_REALTIME -> clocks.realtimeNanos();
            case WasiAbi.CLOCK_MONOTONIC -> clocks.monotonicNanos();
            case WasiAbi.CLOCK_PROCESS_CPUTIME -> clocks.processCpuTimeNanos();
            default -> clocks.threadCpuTimeNanos();
        };
    }

    /** {@code args_get}/{@code environ_get}: a pointer per string, the strings NUL-terminated in a buffer. */
    private static void writeStrings(GuestMemory m, byte[][] strings, long pointers, long buffer) {
        m.checkTyped(pointers, 4L * strings.length, 4);
        long size = 0;
        for (byte[] s : strings) size += s.length + 1;
        m.checkRange(buffer, size);
        long at = buffer;
        for (int i = 0; i < strings.length; i++) {
            m.writeU32(pointers + 4L * i, at);
            m.writeBytes(at, strings[i], 0, strings[i].length);
            m.writeU8(at + strings[i].length, 0);
            at += strings[i].length + 1;
        }
    }

    /** {@code args_sizes_get}/{@code environ_sizes_get}: the count and the buffer size they need. */
    private static void writeSizes(GuestMemory m, byte[][] strings, long countPtr, long sizePtr) {
        long size = 0;
        for (byte[] s : strings) size += s.length + 1;
        m.storeU32(countPtr, strings.length);
        m.storeU32(sizePtr, size);
    }
}
