package dev.kiln.tests.wasm3;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmException;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.Engines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exceptions caught in native code (docs/design-changes.md, "Exceptions in native code"): the
 * callers' callee-saved registers survive an unwind, values live into a catch keep their values,
 * handlers across instances and call_indirect restore the right instance, a long loop of throws and
 * catches runs in constant stack, payloads of every type (v128 and more than fit in registers)
 * arrive whole, and a native catcher catches what an interpreted function throws.
 */
class NativeExceptionTest {
    private static final byte[] LIB = Wat3.compile("""
            (module
              (tag $e (export "e") (param i32))
              (func (export "throw_e") (param i32) (throw $e (local.get 0)))
            )
            """);

    private static final byte[] MAIN = Wat3.compile("""
            (module
              (import "lib" "e" (tag $le (param i32)))
              (import "lib" "throw_e" (func $lib_throw (param i32)))
              (tag $e (param i32))
              (tag $big (param i32 i64 f32 f64 v128 i32 i64 f32 f64 i32 i64 f64 i32 i64 f64 i32))
              (type $t (func (param i32)))
              (table 2 funcref)
              (elem (i32.const 0) $thrower $lib_throw)
              (memory 1)
              ;; uses many registers before it throws, so the unwound frames leave garbage in them
              (func $thrower (param i32)
                (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
                (local.set $a (i64.mul (i64.extend_i32_u (local.get 0)) (i64.const 3)))
                (local.set $b (i64.add (local.get $a) (i64.const 11)))
                (local.set $c (i64.xor (local.get $b) (i64.const 0x5555)))
                (local.set $d (i64.sub (local.get $c) (local.get $a)))
                (local.set $e (i64.mul (local.get $d) (local.get $b)))
                (local.set $f (i64.add (local.get $e) (local.get $c)))
                (i64.store (i32.const 0) (i64.add (local.get $f) (i64.add (local.get $a) (local.get $d))))
                (throw $e (local.get 0)))
              (func $catcher (param i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $e $c) (catch $le $c) (call $thrower (local.get 0)))
                  (i32.const -1)))
              ;; keeps values in callee-saved registers across the call of a function that catches
              (func (export "survivors") (param i32) (result i64)
                (local $x i64) (local $y i64) (local $z i64)
                (local.set $x (i64.extend_i32_u (i32.add (local.get 0) (i32.const 1))))
                (local.set $y (i64.mul (local.get $x) (i64.const 1000)))
                (local.set $z (i64.add (local.get $y) (i64.const 7)))
                (i64.add (i64.add (local.get $x) (local.get $y))
                         (i64.add (local.get $z) (i64.extend_i32_u (call $catcher (local.get 0))))))
              ;; locals set before the throw are seen by the catch
              (func (export "live_into_catch") (param i32) (result i32)
                (local $k i32)
                (block $c (result i32)
                  (try_table (catch $e $c)
                    (local.set $k (i32.mul (local.get 0) (i32.const 3)))
                    (call $thrower (local.get 0)))
                  (return (i32.const -1)))
                (i32.add (local.get $k)))
              (func (export "indirect") (param i32 i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $e $c) (catch $le $c) (call_indirect (type $t) (local.get 0) (local.get 1)))
                  (i32.const -1)))
              ;; a million throws caught in a loop: the stack must not grow
              (func (export "loop") (param i32) (result i32)
                (local $n i32) (local $sum i32)
                (loop $l
                  (local.set $sum (i32.add (local.get $sum) (call $catcher (local.get $n))))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $n) (local.get 0))))
                (local.get $sum))
              (func $throw_big (param i32)
                (throw $big (local.get 0) (i64.const -2) (f32.const 1.5) (f64.const -2.25) (v128.const i32x4 1 2 3 4)
                  (i32.const 6) (i64.const 0x7fffffffffffffff) (f32.const 8) (f64.const 9) (i32.const 10) (i64.const 11)
                  (f64.const 12) (i32.const 13) (i64.const 14) (f64.const 15) (i32.const 16)))
              (func $late_thrower (param i32) (result i32) (throw $e (local.get 0)))
              (func $mixed (export "mixed") (param i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $e $c)
                    (if (local.get 0) (then (drop (call $late_thrower (local.get 0))))))
                  (i32.const -1)))
              (func (export "big") (param i32) (result i64)
                (local $p0 i32) (local $p1 i64) (local $p2 f32) (local $p3 f64) (local $p4 v128) (local $p5 i32) (local $p6 i64) (local $p7 f32) (local $p8 f64) (local $p9 i32) (local $p10 i64) (local $p11 f64) (local $p12 i32) (local $p13 i64) (local $p14 f64) (local $p15 i32)
                (block $c (result i32 i64 f32 f64 v128 i32 i64 f32 f64 i32 i64 f64 i32 i64 f64 i32)
                  (try_table (catch $big $c) (call $throw_big (local.get 0)))
                  (return (i64.const -1)))
                (local.set $p15) (local.set $p14) (local.set $p13) (local.set $p12) (local.set $p11) (local.set $p10) (local.set $p9) (local.set $p8) (local.set $p7) (local.set $p6) (local.set $p5) (local.set $p4) (local.set $p3) (local.set $p2) (local.set $p1) (local.set $p0)
                (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.add (i64.mul (i64.const 0) (i64.const 31)) (i64.extend_i32_u (local.get $p0))) (i64.const 31)) (local.get $p1)) (i64.const 31)) (i64.trunc_f32_s (local.get $p2))) (i64.const 31)) (i64.trunc_f64_s (local.get $p3))) (i64.const 31)) (i64.add (i64x2.extract_lane 0 (local.get $p4)) (i64x2.extract_lane 1 (local.get $p4)))) (i64.const 31)) (i64.extend_i32_u (local.get $p5))) (i64.const 31)) (local.get $p6)) (i64.const 31)) (i64.trunc_f32_s (local.get $p7))) (i64.const 31)) (i64.trunc_f64_s (local.get $p8))) (i64.const 31)) (i64.extend_i32_u (local.get $p9))) (i64.const 31)) (local.get $p10)) (i64.const 31)) (i64.trunc_f64_s (local.get $p11))) (i64.const 31)) (i64.extend_i32_u (local.get $p12))) (i64.const 31)) (local.get $p13)) (i64.const 31)) (i64.trunc_f64_s (local.get $p14))) (i64.const 31)) (i64.extend_i32_u (local.get $p15))))
            )
            """);

    private static final long BIG_CHECKSUM = 2367867309706737381L;

    private WasmModule main;

    @BeforeEach
    void nativeExceptions() {
        assumeTrue(Backends.host().lowersExceptions(), "this machine's backend lowers exceptions");
    }

    private Instance instantiate(Store s) {
        main = WasmModule.of(MAIN);
        Instance lib = s.instantiate(WasmModule.of(LIB), new Imports());
        Imports imports = new Imports();
        imports.define("lib", "e", lib.exports().get("e"));
        imports.define("lib", "throw_e", lib.exports().get("throw_e"));
        return s.instantiate(main, imports);
    }

    private static long call(Instance i, String name, long... args) {
        return ((FunctionInstance) i.exports().get(name)).call(args)[0];
    }

    @Test
    void nativeFramesCatch() {
        try (Store s = new Store().tier(Tier.NATIVE)) {
            Instance i = instantiate(s);
            assertEquals(6 + 6000 + 6007 + 5, call(i, "survivors", 5));
            assertEquals(9 * 3 + 9, call(i, "live_into_catch", 9));
            assertEquals(4, call(i, "indirect", 4, 0));
            assertEquals(12, call(i, "indirect", 12, 1)); // another instance's tag and frames
            assertEquals(499_999_500_000L & 0xFFFF_FFFFL, call(i, "loop", 1_000_000) & 0xFFFF_FFFFL);
            assertEquals(BIG_CHECKSUM, call(i, "big", 5));
            assertEquals(7, call(i, "mixed", 7));
        }
    }

    @Test
    void theInterpreterAgrees() {
        try (Store s = new Store().tier(Tier.INTERP)) {
            Instance i = instantiate(s);
            assertEquals(6 + 6000 + 6007 + 5, call(i, "survivors", 5));
            assertEquals(BIG_CHECKSUM, call(i, "big", 5));
        }
    }

    /** A native catcher (hot after three calls) catches what a function still interpreted throws. */
    @Test
    void nativeCatcherInterpretedThrower() {
        try (Store s = Engines.of(Tier.AUTO, 3, 1_000_000, false).newStore()) {
            Instance i = instantiate(s);
            for (int k = 0; k < 5; k++) assertEquals(-1, (int) call(i, "mixed", 0));
            assertEquals(11, call(i, "mixed", 11));
            TierReport r = TierReport.of(main, s, 100);
            assertTrue(r.top().stream().anyMatch(h -> h.name().equals("mixed") && h.nativeNow()), r.text());
            assertTrue(r.top().stream().anyMatch(h -> h.name().equals("late_thrower") && !h.nativeNow()), r.text());
        }
    }

    /** An exception no native frame catches leaves to Java with its tag and payload. */
    @Test
    void uncaughtLeavesAsWasmException() {
        try (Store s = new Store().tier(Tier.NATIVE)) {
            Instance i = instantiate(s);
            Instance lib = s.instantiate(WasmModule.of(LIB), new Imports());
            WasmException e = assertThrows(WasmException.class, () -> ((FunctionInstance) lib.exports().get("throw_e")).call(3));
            assertArrayEquals(new long[] {3}, e.payload());
        }
    }
}
