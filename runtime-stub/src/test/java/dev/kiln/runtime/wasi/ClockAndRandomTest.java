package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code clock_res_get}, {@code clock_time_get} and {@code random_get}. */
class ClockAndRandomTest {
    private final FakeClocks clocks = new FakeClocks();

    private TestGuest guest() {
        return new TestGuest(WasiConfig.builder().clocks(clocks).random(new Random(42)), new byte[0]);
    }

    private static long time(TestGuest g, int clock) {
        long out = g.alloc(8, 8);
        g.ok("clock_time_get", clock, 1, out);
        return g.u64At(out);
    }

    @Test
    void everyClockReadsItsSource() {
        try (TestGuest g = guest()) {
            assertEquals(clocks.realtime, time(g, 0));
            assertEquals(clocks.monotonic, time(g, 1));
            assertEquals(clocks.processCpu, time(g, 2));
            assertEquals(clocks.threadCpu, time(g, 3));
            clocks.monotonic += 7;
            assertEquals(clocks.monotonic, time(g, 1));
        }
    }

    @Test
    void resolutions() {
        try (TestGuest g = guest()) {
            for (int id = 0; id < 4; id++) {
                long out = g.alloc(8, 8);
                g.ok("clock_res_get", id, out);
                assertEquals(10 + id, g.u64At(out));
            }
        }
    }

    @Test
    void systemClocksMove() throws Exception {
        try (TestGuest g = new TestGuest(WasiConfig.builder(), new byte[0])) {
            long a = time(g, 1);
            long wall = time(g, 0);
            assertTrue(Math.abs(wall / 1_000_000 - System.currentTimeMillis()) < 5_000, "realtime is epoch nanoseconds");
            long cpu = time(g, 3);
            long sink = 0;
            for (int i = 0; i < 2_000_000; i++) sink += i * 31L;
            assertTrue(sink != 1);
            assertTrue(time(g, 1) >= a);
            assertTrue(time(g, 3) >= cpu);
            assertTrue(time(g, 2) > 0, "process CPU time");
            long out = g.alloc(8, 8);
            g.ok("clock_res_get", 1, out);
            assertTrue(g.u64At(out) > 0);
        }
    }

    @Test
    void unknownClockTraps() {
        try (TestGuest g = guest()) {
            TrapException t = assertThrows(TrapException.class, () -> g.invoke("clock_time_get", 4, 0, g.alloc(8, 8)));
            assertEquals(TrapKind.HOST_ERROR, t.kind);
            assertInstanceOf(GuestFault.class, t.getCause());
            assertThrows(TrapException.class, () -> g.invoke("clock_res_get", -1, g.alloc(8, 8)));
        }
    }

    @Test
    void resultPointerMustBeAlignedAndInBounds() {
        try (TestGuest g = guest()) {
            long p = g.alloc(16, 8);
            assertEquals(TrapKind.HOST_ERROR, assertThrows(TrapException.class, () -> g.invoke("clock_time_get", 1, 0, p + 4)).kind);
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY,
                    assertThrows(TrapException.class, () -> g.invoke("clock_time_get", 1, 0, g.memory.byteSize() - 8 + 8)).kind);
        }
    }

    @Test
    void randomFillsFromTheSource() {
        try (TestGuest g = guest()) {
            long buf = g.alloc(100, 1);
            g.ok("random_get", buf, 100);
            byte[] expected = new byte[100];
            new Random(42).nextBytes(expected);
            assertArrayEquals(expected, g.bytesAt(buf, 100));
        }
    }

    @Test
    void randomLargeAndEmpty() {
        try (TestGuest g = guest()) {
            long buf = g.alloc(150_000, 1);
            g.ok("random_get", buf, 150_000);
            int zeros = 0;
            for (byte b : g.bytesAt(buf, 150_000)) if (b == 0) zeros++;
            assertTrue(zeros < 2_000, "filled with random bytes");
            g.ok("random_get", g.memory.byteSize(), 0);
        }
    }

    @Test
    void randomOutOfBoundsTrapsBeforeWriting() {
        try (TestGuest g = guest()) {
            long end = g.memory.byteSize();
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY,
                    assertThrows(TrapException.class, () -> g.invoke("random_get", end - 10, 100)).kind);
            assertArrayEquals(new byte[10], g.bytesAt(end - 10, 10));
        }
    }
}
