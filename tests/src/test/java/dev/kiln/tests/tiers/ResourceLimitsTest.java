package dev.kiln.tests.tiers;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.TrapKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fuel, interruption and memory/table caps, on every tier: the interpreter, native code (this
 * machine's; {@link ResourceLimitsAarch64Test} runs it in an AArch64 JVM), and the auto tier mid-promotion.
 */
class ResourceLimitsTest {
    /** The tiers under test; AUTO promotes every function at once and enters loops through OSR. */
    enum Mode {
        INTERP(Tier.INTERP), NATIVE(Tier.NATIVE), AUTO(Tier.AUTO);
        final Tier tier;

        Mode(Tier tier) {
            this.tier = tier;
        }
    }

    private static final byte[] PROGRAM = Wat.compile("""
            (module
              (memory (export "memory") 1 100)
              (table (export "table") 1 50 funcref)
              (global $progress (export "progress") (mut i32) (i32.const 0))
              (func $rec (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
              ;; n iterations, each a call chain of depth 4 and a nested loop of 3 iterations
              (func (export "work") (param $n i32) (result i32) (local $acc i32) (local $j i32)
                (loop $outer
                  (local.set $acc (i32.add (local.get $acc) (call $rec (i32.const 3))))
                  (local.set $j (i32.const 3))
                  (loop $inner
                    (global.set $progress (i32.add (global.get $progress) (i32.const 1)))
                    (br_if $inner (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
                  (br_if $outer (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $acc))
              (func (export "spin") (loop $l (global.set $progress (i32.add (global.get $progress) (i32.const 1))) (br $l)))
              (func (export "calls") (loop $l (drop (call $rec (i32.const 50))) (br $l)))
              ;; an endless loop around a short counted one, which native code runs without a check of its own (ShortLoops)
              (func (export "spinShort") (local $j i32)
                (loop $outer
                  (local.set $j (i32.const 0))
                  (loop $inner
                    (global.set $progress (i32.add (global.get $progress) (i32.const 1)))
                    (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 1000))))
                  (br $outer)))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "growTable") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
            """);

    private final List<Store> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(Store::close);
    }

    private Store store(Mode mode) {
        if (mode != Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
        Store s = mode == Mode.AUTO
                ? Engine.builder().tier(Tier.AUTO).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build().newStore()
                : new Store().tier(mode.tier);
        stores.add(s);
        return s;
    }

    /** What a metered run leaves behind: the results or the trap, the fuel left, and the progress counter. */
    private String meteredRun(Mode mode, long fuel, int n) {
        Store s = store(mode).fuel(fuel);
        Instance i = s.instantiate(WasmModule.of(PROGRAM), new Imports());
        String outcome;
        try {
            outcome = "result " + i.function("work").call(n)[0];
        } catch (WasmTrap t) {
            outcome = t.describe();
        }
        return outcome + " | fuel left " + s.fuel() + " | progress " + i.global("progress").get();
    }

    @Test
    void fuelCountsFunctionEntriesAndLoopBackEdges() {
        // work(10): 1 entry + 10 x (4 entries of $rec) + 9 outer back-edges + 10 x 2 inner back-edges = 70
        for (Mode mode : Mode.values()) {
            assertEquals("result 30 | fuel left 30 | progress 30", meteredRun(mode, 100, 10), mode.name());
            assertEquals("result 30 | fuel left 0 | progress 30", meteredRun(mode, 70, 10), mode.name());
            assertTrue(meteredRun(mode, 69, 10).startsWith("wasm trap: out of fuel"), mode.name());
        }
    }

    @Test
    void everyTierRunsOutOfFuelAtTheSamePoint() {
        for (long fuel = 0; fuel <= 400; fuel += 7) {
            String reference = meteredRun(Mode.INTERP, fuel, 40);
            for (Mode mode : List.of(Mode.NATIVE, Mode.AUTO)) {
                assertEquals(reference, meteredRun(mode, fuel, 40), mode + " with fuel " + fuel);
            }
        }
    }

    @Test
    void fuelMustBeTurnedOnBeforeInstantiating() {
        Store s = store(Mode.INTERP);
        s.instantiate(WasmModule.of(PROGRAM), new Imports());
        assertEquals(-1, s.fuel());
        assertThrows(IllegalStateException.class, () -> s.fuel(10));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anotherThreadStopsALoopAndACallChainWithinMilliseconds(Mode mode) throws Exception {
        Store s = store(mode);
        Instance i = s.instantiate(WasmModule.of(PROGRAM), new Imports());
        for (String export : List.of("spin", "calls", "spinShort")) {
            long start = System.nanoTime();
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                s.interrupt();
            });
            WasmTrap t = assertThrows(WasmTrap.class, () -> i.function(export).call());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            stopper.join();
            assertEquals(TrapKind.INTERRUPTED, t.kind(), mode + " " + export);
            assertTrue(millis < 2_000, mode + " " + export + " took " + millis + " ms to stop");
            assertArrayEquals(new long[] {6}, i.function("work").call(2), "the store runs normally after the trap");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anInterruptWithNothingRunningStopsTheNextCallOnly(Mode mode) {
        Store s = store(mode);
        Instance i = s.instantiate(WasmModule.of(PROGRAM), new Imports());
        s.interrupt();
        assertEquals(TrapKind.INTERRUPTED, assertThrows(WasmTrap.class, () -> i.function("work").call(1)).kind());
        assertArrayEquals(new long[] {3}, i.function("work").call(1));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void growthPastTheCapsFailsAsTheSpecAllows(Mode mode) {
        Store s = store(mode).maxMemoryPages(3).maxTableElements(5);
        Instance i = s.instantiate(WasmModule.of(PROGRAM), new Imports());
        assertArrayEquals(new long[] {1}, i.function("grow").call(2));
        assertArrayEquals(new long[] {0xFFFF_FFFFL}, i.function("grow").call(1), "a fourth page is over the cap");
        assertEquals(3 * 65536, i.memory("memory").byteSize());
        assertArrayEquals(new long[] {1}, i.function("growTable").call(4));
        assertArrayEquals(new long[] {0xFFFF_FFFFL}, i.function("growTable").call(1));
        Store tight = store(mode).maxMemoryPages(0);
        LinkException e = assertThrows(LinkException.class, () -> tight.instantiate(WasmModule.of(PROGRAM), new Imports()));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }
}
