package dev.kiln.tests.tiers;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the native mid-end and lowering do to calls and multiplications, checked against the
 * interpreter: multiplications by constants (which a lowering may turn into shifts and {@code lea}),
 * callees inlined into their callers (with a caller's trap still reported with exactly the
 * interpreter's frames).
 */
class NativeMidEndTest {
    private static final long[] MULTIPLIERS = {2, 3, 5, 9, 6, 10, 12, 18, 20, 24, 36, 40, 48, 72, 80, 4096, 0x4000_0000L,
            0x8000_0000L, 0x1_0000_0000L, 0x4000_0000_0000_0000L, 7, 11, -3, -4, -5, 0xFFFF_FFFDL};
    private static final long[] SAMPLES = {0, 1, -1, 2, 7, -7, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_2345_6789L,
            Long.MAX_VALUE, Long.MIN_VALUE, 0x0123_4567_89AB_CDEFL};

    @BeforeEach
    void nativeTier() {
        Assumptions.assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    private static Instance instantiate(Store store, Engine engine, String wat) {
        return store.instantiate(engine.compile(wat.getBytes(StandardCharsets.UTF_8)), new Imports());
    }

    @Test
    void multiplicationsByConstantsAgreeWithTheInterpreter() {
        StringBuilder wat = new StringBuilder("(module");
        for (int k = 0; k < MULTIPLIERS.length; k++) {
            wat.append("\n (func (export \"m32_").append(k).append("\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const ")
                    .append((int) MULTIPLIERS[k]).append(")))");
            wat.append("\n (func (export \"m64_").append(k).append("\") (param i64) (result i64) (i64.mul (i64.const ")
                    .append(MULTIPLIERS[k]).append(") (local.get 0)))");
            // the operand in a stack slot: live across a call
            wat.append("\n (func (export \"s32_").append(k).append("\") (param i32) (result i32) (local $x i32)")
                    .append(" (local.set $x (i32.add (local.get 0) (i32.const 1))) (call $nothing)")
                    .append(" (i32.add (local.get $x) (i32.mul (local.get $x) (i32.const ").append((int) MULTIPLIERS[k]).append("))))");
        }
        wat.append("\n (func $nothing))");
        List<List<Object>> results = new ArrayList<>();
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            Engine engine = Engine.builder().tier(tier).build();
            List<Object> out = new ArrayList<>();
            try (Store store = engine.newStore()) {
                Instance in = instantiate(store, engine, wat.toString());
                for (int k = 0; k < MULTIPLIERS.length; k++) {
                    for (long x : SAMPLES) {
                        out.add(in.function("m32_" + k).apply((int) x)[0]);
                        out.add(in.function("m64_" + k).apply(x)[0]);
                        out.add(in.function("s32_" + k).apply((int) x)[0]);
                    }
                }
            }
            results.add(out);
        }
        assertEquals(results.get(0), results.get(1));
    }

    private static final String INLINED = """
            (module (memory 1) (global $count (mut i32) (i32.const 0))
              (func $sq (param i32) (result i32)
                (global.set $count (i32.add (global.get $count) (i32.const 1)))
                (i32.mul (local.get 0) (local.get 0)))
              (func $clamp (param i32) (result i32)
                (if (result i32) (i32.lt_s (local.get 0) (i32.const 0)) (then (i32.const 0)) (else (local.get 0))))
              (func (export "count") (result i32) (global.get $count))
              (func (export "f") (param i32) (result i32)
                (i32.load (i32.add (call $sq (local.get 0)) (call $clamp (local.get 0))))))
            """;

    @Test
    void aTrapAfterInlinedCallsReportsTheSameFramesAsTheInterpreter() {
        List<String> stacks = new ArrayList<>();
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            Engine engine = Engine.builder().tier(tier).build();
            try (Store store = engine.newStore()) {
                Instance in = instantiate(store, engine, INLINED);
                assertEquals(0, (int) in.function("f").apply(6)[0], tier.name()); // reads address 42 of zeroed memory
                WasmTrap trap = assertThrows(WasmTrap.class, () -> in.function("f").apply(1000));
                assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, trap.kind(), tier.name());
                assertEquals(2, (int) in.function("count").apply()[0], tier + ": the inlined callee's global writes happen");
                stacks.add(trap.wasmStack().toString());
            }
        }
        assertEquals(stacks.get(0), stacks.get(1));
    }
}
