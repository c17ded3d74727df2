package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code poll_oneoff} with clock subscriptions (fake clocks) and descriptor readiness. */
class PollTest {
    @TempDir
    Path dir;

    private final FakeClocks clocks = new FakeClocks();

    record Event(long userdata, int error, int type, long nbytes, int flags) {}

    /** Builds subscriptions in guest memory. */
    static final class Subs {
        final TestGuest g;
        final long base;
        int count;

        Subs(TestGuest g, int max) {
            this.g = g;
            this.base = g.alloc(48 * max, 8);
        }

        Subs clock(long userdata, int clockId, long timeout, boolean absolute) {
            long at = base + 48L * count++;
            g.memory.writeLong(at, userdata);
            g.memory.writeByte(at + 8, (byte) 0);
            g.memory.writeInt(at + 16, clockId);
            g.memory.writeLong(at + 24, timeout);
            g.memory.writeLong(at + 32, 0);
            g.memory.writeShort(at + 40, (short) (absolute ? 1 : 0));
            return this;
        }

        Subs fd(long userdata, int type, int fd) {
            long at = base + 48L * count++;
            g.memory.writeLong(at, userdata);
            g.memory.writeByte(at + 8, (byte) type);
            g.memory.writeInt(at + 16, fd);
            return this;
        }

        Errno poll(List<Event> events) {
            long out = g.alloc(32 * Math.max(count, 1), 8);
            long n = g.alloc(4, 4);
            Errno e = g.call("poll_oneoff", base, out, count, n);
            if (e == Errno.SUCCESS) {
                for (int i = 0; i < g.u32At(n); i++) {
                    long at = out + 32L * i;
                    events.add(new Event(g.u64At(at), g.memory.readShort(at + 8), g.memory.readByte(at + 10),
                            g.u64At(at + 16), g.memory.readShort(at + 24)));
                }
            }
            return e;
        }
    }

    private TestGuest guest(byte[] stdin) {
        return new TestGuest(WasiConfig.builder().clocks(clocks).preopen(dir, "/"), stdin);
    }

    @Test
    void relativeClockSleeps() {
        try (TestGuest g = guest(new byte[0])) {
            List<Event> events = new ArrayList<>();
            assertEquals(Errno.SUCCESS, new Subs(g, 1).clock(42, 1, 1_000_000, false).poll(events));
            assertEquals(List.of(new Event(42, 0, 0, 0, 0)), events);
            assertEquals(1_000_000, clocks.slept);
        }
    }

    @Test
    void earliestOfSeveralClocksFires() {
        try (TestGuest g = guest(new byte[0])) {
            List<Event> events = new ArrayList<>();
            new Subs(g, 3).clock(1, 1, 5_000, false).clock(2, 0, 2_000, false).clock(3, 1, 9_000, false).poll(events);
            assertEquals(1, events.size());
            assertEquals(2, events.get(0).userdata());
            assertEquals(2_000, clocks.slept);
        }
    }

    @Test
    void absoluteClocks() {
        try (TestGuest g = guest(new byte[0])) {
            List<Event> events = new ArrayList<>();
            new Subs(g, 1).clock(7, 1, clocks.monotonic + 3_000, true).poll(events);
            assertEquals(7, events.get(0).userdata());
            assertEquals(3_000, clocks.slept);
            events.clear();
            new Subs(g, 1).clock(8, 0, clocks.realtime + 4_000, true).poll(events);
            assertEquals(8, events.get(0).userdata());
            assertEquals(7_000, clocks.slept);
            events.clear();
            new Subs(g, 1).clock(9, 1, clocks.monotonic - 10, true).poll(events);
            assertEquals(7_000, clocks.slept, "a deadline in the past fires at once");
            events.clear();
            new Subs(g, 1).clock(10, 0, 5, true).poll(events);
            assertEquals(10, events.get(0).userdata());
        }
    }

    @Test
    void readyDescriptorsWinOverClocks() {
        try (TestGuest g = guest(new byte[0])) {
            int fd = g.openFile("f", 1);
            g.writeAll(fd, "0123456789");
            g.seek(fd, 4, 0);
            List<Event> events = new ArrayList<>();
            new Subs(g, 4).clock(1, 1, 1_000_000_000, false).fd(2, 2, 1).fd(3, 1, fd).fd(4, 2, fd).poll(events);
            assertEquals(List.of(new Event(2, 0, 2, 1, 0), new Event(3, 0, 1, 6, 0), new Event(4, 0, 2, 1, 0)), events);
            assertEquals(0, clocks.slept);
            g.seek(fd, 0, 2);
            events.clear();
            new Subs(g, 1).fd(5, 1, fd).poll(events);
            assertEquals(List.of(new Event(5, 0, 1, 0, 1)), events, "at the end: hangup");
        }
    }

    @Test
    void stdinWithInputIsReady() {
        try (TestGuest g = guest("hello".getBytes())) {
            List<Event> events = new ArrayList<>();
            new Subs(g, 2).clock(1, 1, 1_000_000_000, false).fd(2, 1, 0).poll(events);
            assertEquals(1, events.size());
            assertEquals(2, events.get(0).userdata());
            assertEquals(1, events.get(0).type());
            assertTrue(events.get(0).nbytes() >= 1);
            assertEquals("hello", g.readText(0, 100));
        }
    }

    @Test
    void stdinWithoutInputTimesOutThenWakesUpWhenDataArrives() throws Exception {
        LinkedBlockingQueue<byte[]> feed = new LinkedBlockingQueue<>();
        InputStream in = new QueueInputStream(feed);
        // stdin is a pipe nobody has written to yet; real clocks
        try (TestGuest g = new TestGuest(WasiConfig.builder(), in)) {
            List<Event> events = new ArrayList<>();
            long start = System.nanoTime();
            new Subs(g, 2).clock(1, 1, 50_000_000, false).fd(2, 1, 0).poll(events);
            assertEquals(1, events.get(0).userdata(), "the clock fired: no input");
            assertTrue(System.nanoTime() - start >= 40_000_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                    feed.put("late".getBytes());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            events.clear();
            new Subs(g, 2).clock(1, 1, 10_000_000_000L, false).fd(2, 1, 0).poll(events);
            assertEquals(2, events.get(0).userdata(), "input arrived before the clock");
            assertEquals("late", g.readText(0, 100));
            writer.join();
            feed.put(new byte[0]);
            assertEquals("", g.readText(0, 100), "end of input, read through the read-ahead thread");
        }
    }

    /** Input that arrives when a test puts it; an empty chunk ends the input. */
    static final class QueueInputStream extends InputStream {
        private final LinkedBlockingQueue<byte[]> chunks;
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        QueueInputStream(LinkedBlockingQueue<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) return -1;
            try {
                while (pos == current.length) {
                    current = chunks.take();
                    pos = 0;
                    if (current.length == 0) {
                        ended = true;
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void errors() throws IOException {
        try (TestGuest g = guest(new byte[0])) {
            List<Event> events = new ArrayList<>();
            assertEquals(Errno.EINVAL, new Subs(g, 1).poll(events), "no subscriptions");
            assertEquals(Errno.EINVAL, new Subs(g, 1).clock(1, 2, 10, false).poll(events), "CPU-time clock");
            assertEquals(Errno.EBADF, new Subs(g, 1).fd(1, 1, 99).poll(events));
            assertEquals(Errno.EBADF, new Subs(g, 1).fd(1, 1, 3).poll(events), "a directory");
            assertEquals(Errno.EBADF, new Subs(g, 1).fd(1, 1, 1).poll(events), "reading stdout");
            assertEquals(Errno.EBADF, new Subs(g, 1).fd(1, 2, 0).poll(events), "writing stdin");
            Subs bad = new Subs(g, 1).fd(1, 1, 0);
            g.memory.writeByte(bad.base + 8, (byte) 3);
            assertEquals(Errno.EINVAL, bad.poll(events), "unknown event type");
            Subs flags = new Subs(g, 1).clock(1, 1, 10, false);
            g.memory.writeShort(flags.base + 40, (short) 2);
            assertEquals(Errno.EINVAL, flags.poll(events), "unknown subclockflags");
        }
    }
}
