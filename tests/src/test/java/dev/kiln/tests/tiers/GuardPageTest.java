package dev.kiln.tests.tiers;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Guard pages under load: native code on many threads makes out-of-bounds accesses (each a fault
 * the signal handler turns into a trap) and in-bounds work between them, while other threads make
 * the JVM use the same signals for itself: implicit null checks in JIT-compiled code (NPEs),
 * allocation that keeps the collectors and their safepoints busy, and explicit collections. Every
 * trap must be the out-of-bounds trap with its Wasm frames, every in-bounds result right, every NPE
 * an NPE, and the JVM must survive. The AArch64 JVM runs it as {@link GuardPageAarch64Test}.
 */
class GuardPageTest {
    private static final String WAT = """
            (module
              (memory 1 2)
              (func $sum (export "sum") (param $n i32) (result i64) (local $i i32) (local $s i64)
                (loop $l
                  (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
                  (local.set $s (i64.add (local.get $s) (i64.load32_u (i32.shl (local.get $i) (i32.const 2)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $s))
              (func $peek (export "peek") (param $a i32) (result i32) (i32.load offset=3 (local.get $a)))
              (func (export "poke") (param $a i32) (param $v i64) (i64.store (local.get $a) (local.get $v)))
              (func (export "nested") (param $a i32) (result i32) (i32.add (call $peek (local.get $a)) (i32.const 1)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """;

    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    @Test
    void outOfBoundsAccessesTrapExactlyWhereTheyHappen() {
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(WasmModule.of(Wat.compile(WAT), "guard.wasm"), new Imports());
            call(i, "poke", 0, 0x0807_0605_0403_0201L);
            assertEquals(0x0706_0504L, call(i, "peek", 0));
            assertEquals(0L, call(i, "peek", 65536 - 7)); // the last 4 bytes of the page, in bounds
            WasmTrap t = trap(i, "peek", 65536 - 6);      // one byte past the end
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind());
            assertEquals(List.of("peek"), names(t));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, trap(i, "nested", -1).kind()); // 4 GiB - 1 + 3: the far end of the guard
            WasmTrap nested = trap(i, "nested", 70000);
            assertEquals(List.of("peek", "nested"), names(nested));
            // a partly out-of-bounds store traps and writes nothing
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, trap(i, "poke", 65536 - 4, -1L).kind());
            assertEquals(0L, call(i, "peek", 65536 - 7));
            // the guard moves with the memory
            assertEquals(1L, call(i, "grow"));
            assertEquals(0L, call(i, "peek", 70000));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, trap(i, "peek", 131072 - 6).kind());
        }
    }

    private static final int MIN_FAULTS = 10;

    @Test
    void faultsOfTheJvmAndOfKilnCodeOnManyThreadsAtOnce() throws Exception {
        WasmModule module = WasmModule.of(Wat.compile(WAT), "guard.wasm");
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong traps = new AtomicLong(), npes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        // at least 4 s, then on until each kind of fault happened often enough (a loaded machine under QEMU
        // may need much longer), at most 120 s
        long start = System.nanoTime();
        BooleanSupplier running = () -> {
            long elapsed = System.nanoTime() - start;
            if (elapsed < 4_000_000_000L) return true;
            return elapsed < 120_000_000_000L && (traps.get() <= MIN_FAULTS || npes.get() <= MIN_FAULTS);
        };
        for (int k = 0; k < 6; k++) {
            int seed = k;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Store store = new Store().tier(Tier.NATIVE)) {
                    Instance i = store.instantiate(module, new Imports());
                    for (int round = 0; running.getAsBoolean(); round++) {
                        int n = 100 + (round + seed) % 900;
                        assertEquals((long) n * (n - 1) / 2, call(i, "sum", n));
                        WasmTrap t = trap(i, "nested", 65536 + round % 1000);
                        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind());
                        traps.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (int k = 0; k < 2; k++) {
            threads.add(Thread.ofPlatform().start(() -> {
                Object[] holder = new Object[1];
                for (long n = 0; running.getAsBoolean(); n++) {
                    try {
                        holder[0] = (n & 1) == 0 ? null : "x";
                        npes.addAndGet(holder[0].hashCode() & 0); // an implicit null check in compiled code
                    } catch (NullPointerException e) {
                        npes.incrementAndGet();
                    }
                    byte[][] garbage = new byte[64][];
                    for (int g = 0; g < garbage.length; g++) garbage[g] = new byte[4096];
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            while (running.getAsBoolean() && !stop.get()) {
                System.gc();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
        for (Thread t : threads) t.join();
        stop.set(true);
        if (!failures.isEmpty()) throw new AssertionError("a thread failed", failures.peek());
        // under QEMU (the aarch64 suite) everything runs some fifty times slower: a few dozen of each still interleave
        assertTrue(traps.get() > MIN_FAULTS, "traps: " + traps.get());
        assertTrue(npes.get() > MIN_FAULTS, "NPEs: " + npes.get());
    }

    private static List<String> names(WasmTrap t) {
        return t.wasmStack().stream().map(f -> f.functionName()).toList();
    }

    private static long call(Instance i, String export, long... args) {
        long[] r = ((FunctionInstance) i.exports().get(export)).call(args);
        return r.length == 0 ? 0 : r[0];
    }

    private static WasmTrap trap(Instance i, String export, long... args) {
        try {
            ((FunctionInstance) i.exports().get(export)).call(args);
        } catch (WasmTrap t) {
            return t;
        }
        throw new AssertionError(export + " did not trap");
    }
}
