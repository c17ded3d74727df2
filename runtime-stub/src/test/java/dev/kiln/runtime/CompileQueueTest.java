package dev.kiln.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background compilers' queue: hottest now first, bounded by dropping the coldest, loop compilations never dropped. */
class CompileQueueTest {
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final List<String> dropped = Collections.synchronizedList(new ArrayList<>());

    private CompileQueue.Request request(String name, AtomicLong heat, boolean droppable) {
        return new CompileQueue.Request(heat::get, () -> ran.add(name), droppable ? () -> dropped.add(name) : null);
    }

    /** A first request that holds the only compiler until released, so the rest queue up. */
    private CountDownLatch occupy(CompileQueue q) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        q.add(new CompileQueue.Request(() -> Long.MAX_VALUE, () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void theFunctionHottestWhenACompilerIsFreeGoesFirstNotTheFirstQueued() throws InterruptedException {
        CompileQueue q = new CompileQueue(16, 1);
        CountDownLatch release = occupy(q);
        AtomicLong a = new AtomicLong(10), b = new AtomicLong(20), c = new AtomicLong(5);
        q.add(request("a", a, true));
        q.add(request("b", b, true));
        q.add(request("c", c, true));
        c.set(1_000); // c kept running in the interpreter while it waited
        release.countDown();
        q.awaitIdle();
        assertEquals(List.of("c", "b", "a"), ran);
        assertEquals(List.of(), dropped);
    }

    @Test
    void aFullQueueDropsItsColdestRequestAndTellsIt() throws InterruptedException {
        CompileQueue q = new CompileQueue(2, 1);
        CountDownLatch release = occupy(q);
        q.add(request("warm", new AtomicLong(50), true));
        q.add(request("cold", new AtomicLong(1), true));
        q.add(request("hot", new AtomicLong(100), true));
        assertEquals(List.of("cold"), dropped);
        q.add(request("colder", new AtomicLong(0), true));
        assertEquals(List.of("cold", "colder"), dropped, "a newcomer colder than all that wait is the one dropped");
        assertEquals(2, q.pending());
        release.countDown();
        q.awaitIdle();
        assertEquals(List.of("hot", "warm"), ran);
    }

    @Test
    void loopCompilationsAreNeverDroppedEvenWhenTheQueueIsFull() throws InterruptedException {
        CompileQueue q = new CompileQueue(1, 1);
        CountDownLatch release = occupy(q);
        q.add(request("loop1", new AtomicLong(1), false));
        q.add(request("loop2", new AtomicLong(0), false));
        q.add(request("fn", new AtomicLong(5), true));
        assertEquals(List.of("fn"), dropped);
        release.countDown();
        q.awaitIdle();
        assertEquals(List.of("loop1", "loop2"), ran);
    }

    @Test
    void severalCompilersRunAtOnce() throws InterruptedException {
        CompileQueue q = new CompileQueue(16, 2);
        CountDownLatch both = new CountDownLatch(2);
        Runnable meet = () -> {
            both.countDown();
            try {
                assertTrue(both.await(10, TimeUnit.SECONDS));
                ran.add("met");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        q.add(new CompileQueue.Request(() -> 1, meet, null));
        q.add(new CompileQueue.Request(() -> 1, meet, null));
        q.awaitIdle();
        assertEquals(List.of("met", "met"), ran, "two compilations were in progress together");
    }

    /** Waits (bounded) until {@code done} holds; the assertions after it are about counts, not times. */
    static void until(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 2_000 && !done.getAsBoolean(); i++) Thread.sleep(5);
        assertTrue(done.getAsBoolean(), "timed out");
    }

    @Test
    void aCompileWaitsUntilTheProgramHasRunLongEnoughToEarnIt() throws InterruptedException {
        CompilePace pace = new CompilePace(100, 10); // 100 bytes free, then 10 interpreter events a byte
        CompileQueue q = new CompileQueue(16, 1, pace);
        q.add(new CompileQueue.Request(() -> 5, () -> ran.add("small"), null, 80));
        until(() -> ran.size() == 1);
        q.add(new CompileQueue.Request(() -> 9, () -> ran.add("big"), null, 500));
        long waits = q.paceWaits();
        until(() -> q.paceWaits() >= waits + 2); // the compiler looked at it twice and left it
        assertEquals(List.of("small"), ran, "80 + 500 bytes are more than the 100 free ones");
        assertEquals(1, q.pending());
        pace.progress(4_000); // earns 400 bytes: 80 + 500 <= 100 + 400 is still false
        long more = q.paceWaits();
        until(() -> q.paceWaits() >= more + 2);
        assertEquals(List.of("small"), ran);
        pace.progress(800); // 480 bytes earned: now it is
        until(() -> ran.size() == 2);
        assertEquals(List.of("small", "big"), ran);
        assertEquals(0, q.pending());
    }

    @Test
    void theHottestRequestWaitsForItsCostAndSmallerOnesDoNotOvertakeIt() throws InterruptedException {
        CompilePace pace = new CompilePace(100, 10);
        CompileQueue q = new CompileQueue(16, 1, pace);
        CountDownLatch release = occupy(q); // costs nothing
        q.add(new CompileQueue.Request(() -> 50, () -> ran.add("hot and big"), null, 1_000));
        q.add(new CompileQueue.Request(() -> 1, () -> ran.add("cold and small"), null, 10));
        release.countDown();
        long waits = q.paceWaits();
        until(() -> q.paceWaits() >= waits + 2);
        assertEquals(List.of(), ran, "no starvation of the hottest by cheaper ones");
        pace.progress(9_100); // 100 + 910 bytes: both
        until(() -> ran.size() == 2);
        assertEquals(List.of("hot and big", "cold and small"), ran);
    }

    @Test
    void drainingCompilesWhatIsPendingEarnedOrNot() throws InterruptedException {
        CompileQueue q = new CompileQueue(16, 1, new CompilePace(0, 1_000));
        q.add(new CompileQueue.Request(() -> 1, () -> ran.add("unearned"), null, 1_000_000));
        q.awaitIdle();
        assertEquals(List.of("unearned"), ran, "before a write-back everything requested is compiled");
        q.add(new CompileQueue.Request(() -> 1, () -> ran.add("after"), null, 10));
        long waits = q.paceWaits();
        until(() -> q.paceWaits() >= waits + 2);
        assertEquals(List.of("unearned"), ran, "the pace holds again once drained");
    }
    @Test
    void aWriteBackWaitsForTheCompileRunningButCompilesNothingPending() throws InterruptedException {
        CompileQueue q = new CompileQueue(16, 1, new CompilePace(0, 1_000));
        CountDownLatch release = occupy(q); // costs nothing: it runs
        q.add(new CompileQueue.Request(() -> 1, () -> ran.add("unearned"), null, 10));
        AtomicLong returned = new AtomicLong();
        Thread waiter = new Thread(() -> {
            try {
                q.awaitRunning();
                returned.set(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        until(() -> waiter.getState() == Thread.State.WAITING);
        assertEquals(0, returned.get(), "a compile is running");
        release.countDown();
        waiter.join(10_000);
        assertEquals(1, returned.get());
        assertEquals(List.of(), ran, "the unearned request was not compiled for the write-back");
        assertEquals(1, q.pending());
    }

    /** A request whose store runs no native code yet (running it switches the store) while {@code switching} is true. */
    private CompileQueue.Request switching(String name, AtomicLong functionEvents, AtomicBoolean switching) {
        return new CompileQueue.Request(() -> 1, () -> {
            switching.set(false);
            ran.add(name);
        }, null, 10, new CompileQueue.StoreSwitch() {
            @Override
            public boolean pending() {
                return switching.get();
            }

            @Override
            public long functionEvents() {
                return functionEvents.get();
            }
        });
    }

    @Test
    void aStoresFirstCompileWaitsUntilItsFunctionHoldsHalfOfTheEventsRun() throws InterruptedException {
        CompilePace pace = new CompilePace(1_000, 1, 1_000_000); // the cost is earned; the switch is not
        CompileQueue q = new CompileQueue(16, 1, pace);
        pace.progress(10_000);
        AtomicLong own = new AtomicLong(1_000); // start-up code: a tenth of what ran
        q.add(switching("startup", own, new AtomicBoolean(true)));
        // a function that ran a tenth of the events does not switch the store; once it kept running,
        // the program's time is in it (a kernel's loop)
        compiledOnlyAfter(q, "startup", () -> own.set(5_000));
    }

    @Test
    void anyFunctionSwitchesTheStoreOnceTheProgramRanTheSwitchEvents() throws InterruptedException {
        CompilePace pace = new CompilePace(1_000, 1, 100_000);
        CompileQueue q = new CompileQueue(16, 1, pace);
        pace.progress(99_000);
        q.add(switching("f", new AtomicLong(1_000), new AtomicBoolean(true)));
        compiledOnlyAfter(q, "f", () -> pace.progress(1_000)); // a long run: the switch is won back whatever runs hot
    }

    /** The compiler leaves {@code q}'s only request, {@code name}, waiting until {@code earn} has run, then compiles it. */
    private void compiledOnlyAfter(CompileQueue q, String name, Runnable earn) throws InterruptedException {
        long waits = q.paceWaits();
        until(() -> q.paceWaits() >= waits + 2 || !ran.isEmpty()); // the compiler looked at it twice and left it
        assertEquals(List.of(), ran, name + " is not earned yet");
        earn.run();
        until(() -> ran.size() == 1);
        assertEquals(List.of(name), ran);
    }

    @Test
    void onceTheStoreRunsNativeCodeItsRequestsWaitOnlyForTheirCost() throws InterruptedException {
        CompilePace pace = new CompilePace(1_000, 1, 1_000_000);
        CompileQueue q = new CompileQueue(16, 1, pace);
        pace.progress(10_000);
        AtomicBoolean storeSwitching = new AtomicBoolean(false); // switched already (by a dominant function)
        q.add(switching("cold", new AtomicLong(1), storeSwitching));
        until(() -> ran.size() == 1);
        assertEquals(List.of("cold"), ran);
    }
}
