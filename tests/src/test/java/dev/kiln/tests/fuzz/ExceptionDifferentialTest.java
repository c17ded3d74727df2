package dev.kiln.tests.fuzz;

import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exceptions against wasmtime on every tier, native code catching included (where the host's
 * backend lowers exceptions; also from the code cache, whose objects carry the exception dispatches): throws several frames deep through direct calls, call_indirect and
 * recursion with a handler in every frame; each try_table clause (catch, catch_ref, catch_all,
 * catch_all_ref) and rethrow with throw_ref; payloads of every number type; locals set before the
 * throw read in the catch; traps (also under a catch_all) never caught, also through frames with handlers.
 * wasmtime runs no legacy instructions, so those are checked by the spec scripts only.
 */
@Tag("differential")
class ExceptionDifferentialTest {
    static final byte[] MODULE = Wat3.compile("""
            (module
              (tag $a (param i32))
              (tag $b (param i64 f32 f64 i32))
              (tag $c)
              (type $t (func (param i32) (result i32)))
              (table 3 funcref)
              (elem (i32.const 0) $raise $plain $deep)
              (func $raise (param i32) (result i32)
                (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $a (i32.const 11))))
                (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $b (i64.const -3) (f32.const 2.5) (f64.const -0.75) (i32.const 9))))
                (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $c)))
                (if (i32.eq (local.get 0) (i32.const 4)) (then (unreachable)))
                (if (i32.eq (local.get 0) (i32.const 5)) (then (drop (i32.div_s (i32.const 1) (i32.const 0)))))
                (i32.mul (local.get 0) (i32.const 100)))
              (func $plain (param i32) (result i32) (i32.add (call $raise (local.get 0)) (i32.const 1)))
              ;; recursion: every level has its own handler for $c, which re-throws $a with the depth added
              (func $deep (param i32) (result i32)
                (local $n i32)
                (local.set $n (i32.shr_u (local.get 0) (i32.const 4)))
                (if (result i32) (i32.eqz (local.get $n))
                  (then (call $raise (i32.and (local.get 0) (i32.const 15))))
                  (else
                    (block $h (result i32)
                      (try_table (catch $a $h)
                        (return (call $deep (i32.sub (local.get 0) (i32.const 16)))))
                      (unreachable))
                    (throw $a (i32.add (local.get $n)))))
                )
              (func (export "clauses") (param i32 i32) (result i64)
                (local $k i64) (local $p i32)
                (block $all
                  (block $cb (result i64 f32 f64 i32)
                    (block $ca (result i32)
                      (try_table (catch $a $ca) (catch $b $cb) (catch_all $all)
                        (local.set $k (i64.const 1000))
                        (return (i64.extend_i32_s (call_indirect (type $t) (local.get 0) (local.get 1)))))
                      (unreachable))
                    (local.set $p)
                    (return (i64.add (local.get $k) (i64.extend_i32_s (local.get $p)))))
                  ;; $b: fold the payload (i64 f32 f64 i32, the i32 on top)
                  (local.set $p)
                  (i64.reinterpret_f64) (local.get $k) (i64.add) (local.set $k)
                  (i64.extend_i32_u (i32.reinterpret_f32)) (local.get $k) (i64.add) (local.set $k)
                  (local.get $k) (i64.add) (i64.extend_i32_s (local.get $p)) (i64.add)
                  (return))
                (i64.add (local.get $k) (i64.const 7)))
              ;; catch_ref / catch_all_ref, then throw_ref to an outer handler
              (func (export "rethrow") (param i32) (result i32)
                (block $other
                  (block $outer (result i32)
                    (try_table (catch $a $outer) (catch_all $other)
                      (block $inner (result exnref)
                        (try_table (catch_all_ref $inner) (return (call $raise (local.get 0))))
                        (unreachable))
                      (throw_ref))
                    (unreachable))
                  (return))
                (i32.const -5))
              (func (export "catch_ref") (param i32) (result i32)
                (local $x exnref)
                (block $done (result i32)
                  (block $r (result i32 exnref)
                    (try_table (catch_ref $a $r) (return (call $raise (local.get 0))))
                    (unreachable))
                  (local.set $x)
                  (block $again (result i32)
                    (try_table (catch $a $again) (throw_ref (local.get $x)))
                    (unreachable))
                  (i32.add)
                  (br $done)))
              (func (export "trap_under_catch_all") (param i32) (result i32)
                (block $h (try_table (catch_all $h) (return (call $raise (local.get 0)))))
                (i32.const -1))
              (func (export "uncaught") (param i32) (result i32) (call $plain (local.get 0)))
            )
            """);

    static List<CallSpec> calls() {
        ModuleExports ex = ModuleExports.of(MODULE);
        List<CallSpec> c = new ArrayList<>();
        for (long f = 0; f <= 2; f++) {
            for (long a : new long[] {0, 1, 2, 3, 4, 5, 6, 16 + 1, 48 + 1, 48 + 3, 160 + 1, 32 + 4}) c.add(ex.call("clauses", new long[] {a, f}));
        }
        for (long a = 0; a <= 5; a++) {
            c.add(ex.call("rethrow", new long[] {a}));
            c.add(ex.call("trap_under_catch_all", new long[] {a}));
        }
        for (long a : new long[] {0, 1, 4, 5}) c.add(ex.call("catch_ref", new long[] {a})); // 2 and 3 would leave uncaught
        for (long a : new long[] {0, 4, 5}) c.add(ex.call("uncaught", new long[] {a})); // traps through native frames (an uncaught exception is no outcome both engines report alike)
        return c;
    }

    @Test
    void everyTierAgreesWithWasmtime() {
        ModuleExports ex = ModuleExports.of(MODULE);
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            if (oracle == null) {
                if (WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
                return;
            }
            List<Engine> tiers = new ArrayList<>(List.of(KilnEngine.interpreter(), KilnEngine.auto(1, 1), KilnEngine.auto(3, 1000)));
            if (Backends.host() != null && Backends.host().lowersExceptions()) {
                tiers.add(KilnEngine.nativeHost());
                tiers.add(KilnEngine.cachedCode()); // the dispatches read back from a cache object
            }
            for (Engine kiln : tiers) {
                DifferentialCheck check = new DifferentialCheck(List.of(kiln, oracle.engine()));
                assertNull(check.run(MODULE, ex.globals(), ex.memory(), calls()), kiln.name());
            }
        }
    }
}
