package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.u32;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code poll_oneoff}: waits until at least one subscription is ready and reports every ready one.
 * Clock subscriptions may be relative or absolute, on the realtime or monotonic clock (CPU-time clocks
 * are {@code EINVAL}, as wasmtime). {@code fd_read} on standard input is ready when input is buffered
 * or has ended; files and standard output/error are always ready. For a file, {@code fd_read} reports
 * the bytes left after the current offset (wasmtime reports 1) and sets {@code fd_readwrite_hangup}
 * at the end; {@code fd_write} reports 1 byte. A subscription on a descriptor that cannot be polled
 * (a directory, a closed number) fails the whole call with {@code EBADF}, and zero subscriptions is
 * {@code EINVAL}, both as wasmtime.
 */
final class PollFunction {
    private final FdTable table;
    private final WasiClocks clocks;

    PollFunction(FdTable table, WasiClocks clocks) {
        this.table = table;
        this.clocks = clocks;
    }

    void register(WasiFunctionSet set) {
        set.add("poll_oneoff", "iiii", (m, a) -> poll(m, u32(a[0]), u32(a[1]), u32(a[2]), u32(a[3])));
    }

    /** One decoded subscription; {@code deadline} is monotonic nanoseconds for clocks. */
    private record Subscription(long userdata, int type, long deadline, Descriptor target) {}

    private void poll(GuestMemory m, long in, long out, long count, long resultPtr) throws IOException {
        if (count == 0) throw new ErrnoException(Errno.EINVAL); // sleeping forever is not supported
        m.checkTyped(in, count * WasiAbi.SUBSCRIPTION_SIZE, WasiAbi.SUBSCRIPTION_ALIGN);
        m.checkTyped(out, count * WasiAbi.EVENT_SIZE, WasiAbi.EVENT_ALIGN);
        m.checkTyped(resultPtr, 4, 4);
        List<Subscription> subs = new ArrayList<>();
        for (long i = 0; i < count; i++) subs.add(decode(m, in + i * WasiAbi.SUBSCRIPTION_SIZE));

        while (true) {
            long now = clocks.monotonicNanos();
            long earliest = Long.MAX_VALUE;
            StdinStream waitFor = null;
            long written = 0;
            for (Subscription s : subs) {
                boolean ready;
                if (s.type() == WasiAbi.EVENTTYPE_CLOCK) {
                    ready = now - s.deadline() >= 0;
                    if (!ready) earliest = Math.min(earliest, s.deadline());
                } else if (s.target() instanceof StdinHandle stdin) {
                    ready = stdin.stream.readyNow();
                    if (!ready) waitFor = stdin.stream;
                } else {
                    ready = true;
                }
                if (ready) writeEvent(m, out + written++ * WasiAbi.EVENT_SIZE, s);
            }
            if (written > 0) {
                m.writeU32(resultPtr, written);
                return;
            }
            long wait = earliest == Long.MAX_VALUE ? -1 : Math.max(0, earliest - now);
            try {
                if (waitFor != null) {
                    waitFor.awaitReady(wait);
                } else {
                    clocks.sleepNanos(wait);
                }
            } catch (InterruptedException e) {
                throw new TrapException(TrapKind.INTERRUPTED); // Store.interrupt() woke the sleeping program
            }
        }
    }

    private Subscription decode(GuestMemory m, long at) {
        long userdata = m.readU64(at + WasiAbi.SUBSCRIPTION_USERDATA);
        int tag = m.readU8(at + WasiAbi.SUBSCRIPTION_TAG);
        switch (tag) {
            case WasiAbi.EVENTTYPE_CLOCK -> {
                long id = m.readU32(at + WasiAbi.SUBSCRIPTION_CLOCK_ID);
                long timeout = m.readU64(at + WasiAbi.SUBSCRIPTION_CLOCK_TIMEOUT);
                int flags = m.readU16(at + WasiAbi.SUBSCRIPTION_CLOCK_FLAGS);
                if ((flags & ~WasiAbi.SUBCLOCKFLAGS_ABSTIME) != 0) throw new ErrnoException(Errno.EINVAL);
                boolean absolute = flags != 0;
                long now = clocks.monotonicNanos();
                long deadline;
                if (id == WasiAbi.CLOCK_MONOTONIC && absolute) {
                    deadline = timeout;
                } else if (id == WasiAbi.CLOCK_MONOTONIC || id == WasiAbi.CLOCK_REALTIME && !absolute) {
                    deadline = saturatingAdd(now, timeout);
                } else if (id == WasiAbi.CLOCK_REALTIME) {
                    long realNow = clocks.realtimeNanos();
                    deadline = Long.compareUnsigned(timeout, realNow) > 0 ? saturatingAdd(now, timeout - realNow) : now;
                } else {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return new Subscription(userdata, tag, deadline, null);
            }
            case WasiAbi.EVENTTYPE_FD_READ, WasiAbi.EVENTTYPE_FD_WRITE -> {
                Descriptor d = table.get((int) m.readU32(at + WasiAbi.SUBSCRIPTION_FD));
                boolean ok = tag == WasiAbi.EVENTTYPE_FD_READ
                        ? d instanceof StdinHandle || d instanceof FileHandle
                        : d instanceof OutputHandle || d instanceof FileHandle;
                if (!ok) throw new ErrnoException(Errno.EBADF);
                return new Subscription(userdata, tag, 0, d);
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** {@code a + b} for a signed {@code a} and an unsigned {@code b}, capped at {@link Long#MAX_VALUE}. */
    private static long saturatingAdd(long a, long b) {
        if (b < 0) return Long.MAX_VALUE;
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }

    private static void writeEvent(GuestMemory m, long at, Subscription s) throws IOException {
        long nbytes = 0;
        int flags = 0;
        switch (s.target()) {
            case null -> {}
            case StdinHandle stdin -> nbytes = stdin.stream.availableHint();
            case FileHandle f when s.type() == WasiAbi.EVENTTYPE_FD_READ -> {
                nbytes = Math.max(0, f.channel.size() - f.position);
                if (nbytes == 0) flags = WasiAbi.EVENTRWFLAGS_FD_READWRITE_HANGUP;
            }
            default -> nbytes = 1;
        }
        for (int i = 0; i < WasiAbi.EVENT_SIZE; i += 8) m.writeU64(at + i, 0);
        m.writeU64(at + WasiAbi.EVENT_USERDATA, s.userdata());
        m.writeU16(at + WasiAbi.EVENT_ERROR, Errno.SUCCESS.code);
        m.writeU8(at + WasiAbi.EVENT_TYPE, s.type());
        m.writeU64(at + WasiAbi.EVENT_NBYTES, nbytes);
        m.writeU16(at + WasiAbi.EVENT_FLAGS, flags);
    }
}
