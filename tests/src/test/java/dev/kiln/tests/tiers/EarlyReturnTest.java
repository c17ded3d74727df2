package dev.kiln.tests.tiers;

import dev.kiln.frontend.testing.RecursionModules;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Functions that return before their prologue (docs/design-changes.md, "Code before the prologue")
 * compute what the interpreter computes: nqueens (a solution and a dead end return early, the search
 * calls), tak, and base cases that read parameters the prologue moves to callee-saved registers,
 * overwrite the register one arrived in before returning, take floats, i64 and stack parameters,
 * or meet a return shared with the framed code. x86-64 here, AArch64 in {@link EarlyReturnAarch64Test}.
 */
class EarlyReturnTest {
    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    /** Base cases beside recursive calls that keep the parameters across them. */
    private static final String SHAPES = """
            (module
              ;; a > b: c (the parameters live across the calls below, so the prologue moves them)
              (func $pick (export "pick") (param $a i32) (param $b i32) (param $c i32) (result i32)
                (if (i32.gt_s (local.get $a) (local.get $b)) (then (return (local.get $c))))
                (i32.add (local.get $c) (i32.add (call $pick (i32.add (local.get $a) (i32.const 3)) (local.get $b) (local.get $a))
                  (i32.mul (local.get $a) (call $pick (i32.add (local.get $b) (i32.const 1)) (local.get $a) (local.get $c))))))
              ;; a == 0: b - c * 3 written over the register a arrived in, b and c read after
              (func $over (export "over") (param $a i32) (param $b i32) (param $c i32) (result i32)
                (if (i32.eqz (local.get $a)) (then (return (i32.sub (local.get $b) (i32.mul (local.get $c) (i32.const 3))))))
                (i32.xor (local.get $a) (i32.add (local.get $b)
                  (call $over (i32.sub (local.get $a) (i32.const 1)) (i32.add (local.get $c) (local.get $a)) (local.get $b)))))
              ;; i64 and f64 parameters: x < 1.0 returns n + 7, else recursion on both
              (func $half (export "half") (param $x f64) (param $n i64) (result i64)
                (if (f64.lt (local.get $x) (f64.const 1)) (then (return (i64.add (local.get $n) (i64.const 7)))))
                (i64.add (local.get $n)
                  (i64.mul (call $half (f64.mul (local.get $x) (f64.const 0.5)) (i64.add (local.get $n) (i64.const 1)))
                    (call $half (f64.sub (local.get $x) (f64.const 1.5)) (local.get $n)))))
              ;; nine parameters, some on the stack on x86-64: the early return pops them too
              (func $wide (export "wide") (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
                (if (i32.le_s (local.get 0) (i32.const 0)) (then (return (local.get 1))))
                (i32.add (local.get 8) (call $wide (i32.sub (local.get 0) (i32.const 1)) (i32.add (local.get 1) (local.get 2))
                  (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 0))))
              ;; a return block shared by the early exit and the loop's exit
              (func $shared (export "shared") (param $n i32) (param $k i32) (result i32) (local $s i32)
                (block $out (result i32)
                  (drop (br_if $out (i32.const 11) (i32.lt_s (local.get $n) (i32.const 2))))
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (call $shared (i32.shr_u (local.get $n) (i32.const 1)) (local.get $k))))
                    (br_if $l (i32.gt_s (local.tee $n (i32.sub (local.get $n) (local.get $k))) (i32.const 0))))
                  (local.get $s))))
            """;

    private static List<Long> run(Tier tier) {
        List<Long> out = new ArrayList<>();
        try (Store store = new Store().tier(tier)) {
            Instance nq = store.instantiate(WasmModule.of(Wat.compile(RecursionModules.NQUEENS), "nqueens.wasm"), new Imports());
            for (int n = 1; n <= 8; n++) out.add(call(nq, "solve", 0, 0, 0, (1L << n) - 1));
            Instance tak = store.instantiate(WasmModule.of(Wat.compile(RecursionModules.TAK), "tak.wasm"), new Imports());
            out.add(call(tak, "tak", 18, 12, 6));
            out.add(call(tak, "tak", 3, 9, -4));
            Instance s = store.instantiate(WasmModule.of(Wat.compile(SHAPES), "shapes.wasm"), new Imports());
            for (int a = -2; a <= 6; a++) out.add(call(s, "pick", a, 4, 9 - a));
            for (int a = 0; a <= 12; a++) out.add(call(s, "over", a, 100 + a, 7 * a));
            for (double x : new double[] {0.25, 1, 3.5, 17.75}) out.add(call(s, "half", Double.doubleToRawLongBits(x), 5));
            for (int n = -1; n <= 9; n++) out.add(call(s, "wide", n, 1, 2, 3, 4, 5, 6, 7, 8));
            for (int n = 0; n <= 40; n += 3) out.add(call(s, "shared", n, 1 + n % 3));
        }
        return out;
    }

    private static long call(Instance instance, String name, long... args) {
        return ((FunctionInstance) instance.exports().get(name)).call(args)[0];
    }

    @Test
    void earlyReturnsComputeWhatTheInterpreterComputes() {
        assertEquals(run(Tier.INTERP), run(Tier.NATIVE));
    }
}
