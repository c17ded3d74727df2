package dev.kiln.tests.tiers;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.StoreInUseException;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@link Store} is used by one thread at a time; one compiled module serves any number of stores
 * on any number of threads. A second thread using a busy store gets {@link StoreInUseException}
 * (never a crash, never a corrupted store), and sixteen threads each with a store of their own run
 * one shared module correctly on every tier: results, traps of every kind, stack exhaustion, host
 * calls, and tier-up racing on the shared code.
 */
class StoreThreadingTest {
    /** The tiers; AUTO promotes in the background while the threads run. */
    enum Mode {
        INTERP(Tier.INTERP), NATIVE(Tier.NATIVE), AUTO(Tier.AUTO);
        final Tier tier;

        Mode(Tier tier) {
            this.tier = tier;
        }
    }

    static final byte[] PROGRAM = Wat.compile("""
            (module
              (import "host" "wait" (func $wait (param i32) (result i32)))
              (memory (export "memory") 1)
              (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
              (func (export "sum") (param $n i32) (result i64) (local $acc i64)
                (block $done (loop $l
                  (br_if $done (i32.eqz (local.get $n)))
                  (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $l)))
                (local.get $acc))
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "unreachable") (unreachable))
              (func $deep (export "deep") (param i32) (result i32) (i32.add (i32.const 1) (call $deep (local.get 0))))
              (func (export "waitInHost") (param i32) (result i32) (i32.add (i32.const 1) (call $wait (local.get 0)))))
            """);

    private final List<Store> stores = new ArrayList<>();


    private static void assumeTier(Mode mode) {
        if (mode != Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    private static final FunctionType I32_TO_I32 = FunctionType.returning(ValueType.I32, ValueType.I32);

    /** A store using {@code wait} as the host's "wait" import. */
    private static Instance instantiate(Store store, WasmModule module, HostFunction.Implementation wait) {
        return store.instantiate(module, new Imports().define(new HostFunction("host", "wait", I32_TO_I32, wait), store));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSecondThreadGetsAClearExceptionWhileTheStoreIsBusy(Mode mode) throws Exception {
        assumeTier(mode);
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Store store = new Store().tier(mode.tier);
        Instance instance = instantiate(store, WasmModule.of(PROGRAM), (caller, args) -> {
            inside.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            return new long[] {args[0]};
        });
        AtomicReference<Object> first = new AtomicReference<>();
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                first.set(instance.function("waitInHost").call(41)[0]);
            } catch (Throwable t) {
                first.set(t);
            }
        });
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        // while the first thread is inside a call, every use of the store from here is refused
        StoreInUseException busy = assertThrows(StoreInUseException.class, () -> instance.function("fib").call(10));
        assertTrue(busy.getMessage().contains("one thread at a time"), busy.getMessage());
        assertThrows(StoreInUseException.class, () -> store.instantiate(WasmModule.of(PROGRAM), new Imports()));
        assertThrows(StoreInUseException.class, () -> instance.memory("memory").grow(1));
        assertThrows(StoreInUseException.class, store::close);
        assertThrows(StoreInUseException.class, () -> store.maxWasmStack(1 << 20));
        release.countDown();
        user.join(30_000);
        assertEquals(42L, first.get(), "the first call finished normally");
        assertArrayEquals(new long[] {55}, instance.function("fib").call(10), "then the store works from another thread");
        store.close();
        assertThrows(IllegalStateException.class, () -> instance.function("fib").call(10), "a closed store refuses calls");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHostFunctionCannotCloseItsOwnStore(Mode mode) {
        assumeTier(mode);
        Store store = new Store().tier(mode.tier);
        Store[] self = {store};
        Instance instance = instantiate(store, WasmModule.of(PROGRAM), (caller, args) -> {
            self[0].close();
            return new long[] {0};
        });
        WasmTrap t = assertThrows(WasmTrap.class, () -> instance.function("waitInHost").call(1));
        assertEquals(TrapKind.HOST_ERROR, t.kind());
        assertTrue(t.getCause() instanceof IllegalStateException, String.valueOf(t.getCause()));
        assertArrayEquals(new long[] {55}, instance.function("fib").call(10), "the store still works");
        store.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void importsFromAnotherStoreAreRefused(Mode mode) {
        assumeTier(mode);
        try (Store a = new Store().tier(mode.tier); Store b = new Store().tier(mode.tier)) {
            Instance exporter = a.instantiate(WasmModule.of(Wat.compile("(module (memory (export \"m\") 1))")), new Imports());
            WasmModule importer = WasmModule.of(Wat.compile("(module (import \"e\" \"m\" (memory 1)))"));
            var e = assertThrows(LinkException.class,
                    () -> b.instantiate(importer, new Imports().defineInstance("e", exporter)));
            assertTrue(e.getMessage().contains("another store"), e.getMessage());
        }
    }

    /** Threads sharing one compiled module, a store each. */
    static final int THREADS = 16;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sixteenThreadsShareOneModuleWithAStoreEach(Mode mode) throws Exception {
        assumeTier(mode);
        // auto: promotion and OSR race with the running threads
        Engine engine = mode == Mode.AUTO ? Engines.of(Tier.AUTO, 20, 200, true) : Engines.of(mode.tier);
        WasmModule module = WasmModule.of(PROGRAM);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            threads.add(Thread.ofPlatform().name("share-" + t).start(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 12; round++) workload(engine, module, seed + round);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) t.join(300_000);
        Engines.awaitCompilations();
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " of " + THREADS + " threads failed on " + mode);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** One thread's round: a fresh store, calls with known results, every kind of trap, host calls, then close. */
    private static void workload(Engine engine, WasmModule module, int seed) {
        Store store = engine.newStore();
        try {
            Instance i = instantiate(store, module, (caller, args) -> new long[] {args[0] * 2});
            int n = 10 + seed % 8;
            assertEquals(fib(n), i.function("fib").call(n)[0]);
            long count = 1000 + seed * 37L;
            assertEquals(count * (count + 1) / 2, i.function("sum").call(count)[0]);
            assertEquals(-7, (int) i.function("div").call(-21, 3)[0]);
            assertEquals(2 * seed + 1, i.function("waitInHost").call(seed)[0]);
            expectTrap(TrapKind.INTEGER_DIVIDE_BY_ZERO, () -> i.function("div").call(1, 0));
            expectTrap(TrapKind.INTEGER_OVERFLOW, () -> i.function("div").call(Integer.MIN_VALUE & 0xFFFF_FFFFL, -1 & 0xFFFF_FFFFL));
            expectTrap(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> i.function("load").call(65535));
            expectTrap(TrapKind.UNREACHABLE, () -> i.function("unreachable").call());
            expectTrap(TrapKind.CALL_STACK_EXHAUSTED, () -> i.function("deep").call(0));
            assertEquals(fib(n + 1), i.function("fib").call(n + 1)[0], "the store works after its traps");
        } finally {
            store.close();
        }
    }

    private static void expectTrap(TrapKind kind, Runnable call) {
        WasmTrap t = assertThrows(WasmTrap.class, call::run);
        assertEquals(kind, t.kind(), t.describe());
        assertNull(t.getCause(), t.describe());
    }

    private static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
