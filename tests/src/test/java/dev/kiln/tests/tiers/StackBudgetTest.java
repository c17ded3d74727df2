package dev.kiln.tests.tiers;

import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.Engine;
import dev.kiln.tests.api.Engines;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.internal.Backends;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One stack budget, {@link Store#maxWasmStack}, in bytes of guest stack, honoured by every tier:
 * the same recursion runs out at about the same depth in the interpreter, in native code and in the
 * auto tier (promoted at once, or part way through), for frames of different sizes, and the depth
 * scales with the budget.
 */
class StackBudgetTest {
    /** How far apart two tiers' depths may be. */
    static final double TOLERANCE = 0.25;

    static final byte[] PROGRAM = Wat.compile(program());

    /** Recursions that count their depth in {@code $d}: tiny frames, a value over the call, wide frames, call_indirect. */
    private static String program() {
        StringBuilder wide = new StringBuilder();
        StringBuilder sum = new StringBuilder("(call $wide (i32.sub (local.get 0) (i32.const 1)))");
        for (int i = 1; i <= 24; i++) {
            wide.append("(local.set ").append(i).append(" (i32.mul (local.get ").append(i - 1).append(") (i32.const 3)))");
            sum = new StringBuilder("(i32.add ").append(sum).append(" (local.get ").append(i).append("))");
        }
        return """
                (module
                  (global $d (export "d") (mut i32) (i32.const 0))
                  (type $t (func (param i32) (result i32)))
                  (func $tiny (export "tiny") (param i32) (result i32)
                    (global.set $d (i32.add (global.get $d) (i32.const 1)))
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (call $tiny (i32.sub (local.get 0) (i32.const 1))))))
                  (func $kept (export "kept") (param i32) (result i32)
                    (global.set $d (i32.add (global.get $d) (i32.const 1)))
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (i32.add (i32.mul (local.get 0) (local.get 0)) (call $kept (i32.sub (local.get 0) (i32.const 1)))))))
                  (func $wide (export "wide") (param i32) (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
                    (global.set $d (i32.add (global.get $d) (i32.const 1)))
                    %s
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else %s)))
                  (func $ind (type $t) (param i32) (result i32)
                    (global.set $d (i32.add (global.get $d) (i32.const 1)))
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
                  (func (export "ind") (param i32) (result i32) (call $ind (local.get 0)))
                  (table 1 funcref)
                  (elem (i32.const 0) func $ind))
                """.formatted(wide, sum);
    }

    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }


    /** How deep {@code export} got before it ran out of {@code budget} bytes on {@code tier}, on a thread with room to spare. */
    static long depth(Tier tier, String export, long budget) throws InterruptedException {
        return depth(Engines.of(tier), export, budget);
    }

    /** {@link #depth(Tier, String, long)} on stores of {@code engine}. */
    static long depth(Engine engine, String export, long budget) throws InterruptedException {
        long[] depth = {-1};
        Thread t = new Thread(null, () -> {
            try (Store store = engine.newStore().maxWasmStack(budget)) {
                Instance i = store.instantiate(WasmModule.of(PROGRAM), new Imports());
                WasmTrap trap = assertThrows(WasmTrap.class, () -> i.function(export).call(1_000_000_000));
                assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
                depth[0] = i.global("d").get();
            }
        }, "budget", 256L << 20);
        t.start();
        t.join();
        return depth[0];
    }

    @Test
    void everyTierRunsOutAtAboutTheSameDepth() throws Exception {
        List<String> apart = new ArrayList<>();
        for (long budget : new long[] {64 << 10, 512 << 10, 4 << 20}) {
            for (String export : List.of("tiny", "kept", "wide", "ind")) {
                long interp = depth(Tier.INTERP, export, budget);
                long nat = depth(Tier.NATIVE, export, budget);
                long auto = depth(Engines.of(Tier.AUTO, 1, 1, false), export, budget);
                String what = export + " with " + (budget >> 10) + " KiB: interp " + interp + ", native " + nat + ", auto " + auto;
                if (!close(interp, nat) || !close(auto, nat)) apart.add(what);
                assertTrue(nat > 100, what);
            }
        }
        assertTrue(apart.isEmpty(), "depths differ by more than " + (int) (TOLERANCE * 100) + "%: " + apart);
    }

    @Test
    void promotionPartWayThroughARecursionKeepsTheBudget() throws Exception {
        long nat = depth(Tier.NATIVE, "kept", 512 << 10);
        // promoted after 2000 calls: the first frames stay interpreted
        long mixed = depth(Engines.of(Tier.AUTO, 2000, 1_000_000, false), "kept", 512 << 10);
        assertTrue(close(mixed, nat), "mixed " + mixed + ", native " + nat);
    }

    @Test
    void theDepthScalesWithTheBudget() throws Exception {
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            long small = depth(tier, "kept", 256 << 10), large = depth(tier, "kept", 2 << 20);
            double ratio = (double) large / small;
            assertTrue(ratio > 7 && ratio < 9, tier + ": " + small + " frames with 256 KiB, " + large + " with 2 MiB");
        }
    }

    @Test
    void theBudgetMustBePositive() {
        try (Store store = new Store()) {
            assertThrows(IllegalArgumentException.class, () -> store.maxWasmStack(0));
            assertEquals(512 << 10, store.maxWasmStack(), "wasmtime's default");
        }
    }

    private static boolean close(long a, long b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(a, b);
    }
}
