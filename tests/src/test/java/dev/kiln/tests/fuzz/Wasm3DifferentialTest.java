package dev.kiln.tests.fuzz;

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
 * WebAssembly 3.0 features the interpreter executes, against wasmtime: exceptions thrown across
 * frames and caught by try_table's clauses (wasmtime does not run the legacy instructions), several memories, a 64-bit
 * memory (bounds at the end, offsets that overflow, grow past the maximum, copies between memories
 * of both address types) and a 64-bit table, on the interpreter and on {@code auto} (compiled at
 * the first call; these functions stay interpreted, their callers do not). Results, traps, the
 * exported 64-bit memory's bytes and size must agree. Handwritten edge cases; the generator does
 * not make these features yet.
 */
@Tag("differential")
class Wasm3DifferentialTest {
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (tag $e (param i32 i64))
              (tag $f (param f64))
              (memory $a 1)
              (memory $b 2 3)
              (memory $w (export "mem") i64 1 4)
              (table $t i64 4 funcref)
              (elem (table $t) (i64.const 1) func $sq $neg)
              (data (memory $b) (i32.const 100) "\\01\\02\\03\\04")
              (data (memory $w) (i64.const 65528) "\\ff\\ee\\dd\\cc\\bb\\aa\\99\\88")
              (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
              (func $thrower (param i32)
                (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (local.get 0) (i64.const 99))))
                (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $f (f64.const 2.5))))
                (if (i32.eq (local.get 0) (i32.const 3)) (then (unreachable))))
              (func $mid (param i32) (result i32) (call $thrower (local.get 0)) (i32.add (local.get 0) (i32.const 10)))
              (func (export "exc") (param i32) (result i64)
                (local $p i64) (local $q i32)
                (block $ce (result i32 i64)
                  (block $all
                    (try_table (catch $e $ce) (catch_all $all)
                      (return (i64.extend_i32_s (call $mid (local.get 0))))))
                  (return (i64.const -7)))
                (local.set $p) (local.set $q)
                (i64.add (local.get $p) (i64.extend_i32_s (local.get $q))))
              (func (export "mm") (param i32 i64) (result i64)
                (i32.store8 $b (local.get 0) (i32.const 77))
                (i64.store $w offset=2 (local.get 1) (i64.load $w (i64.const 65528)))
                (i64.add (i64.load8_u $b (local.get 0)) (i64.load $w offset=2 (local.get 1))))
              (func (export "sizes") (result i64)
                (i64.add (i64.extend_i32_u (memory.size $b)) (i64.mul (memory.size $w) (i64.const 1000))))
              (func (export "grow") (param i64) (result i64) (memory.grow $w (local.get 0)))
              (func (export "copy") (param i64 i32 i32) (result i64)
                (memory.copy $w $b (local.get 0) (local.get 1) (local.get 2))
                (i64.load $w (local.get 0)))
              (func (export "fill") (param i64 i32 i64) (result i32)
                (memory.fill $w (local.get 0) (local.get 1) (local.get 2))
                (i32.load8_u $w (local.get 0)))
              (func (export "ind") (param i64 i32) (result i32)
                (call_indirect $t (param i32) (result i32) (local.get 1) (local.get 0)))
              (func (export "tsize") (result i64) (table.size $t))
            )
            """);

    @Test
    void interpreterAndAutoAgreeWithWasmtime() {
        ModuleExports ex = ModuleExports.of(MODULE);
        List<CallSpec> calls = new ArrayList<>();
        for (long a = 0; a <= 4; a++) calls.add(ex.call("exc", new long[] {a}));
        long[][] mm = {{0, 0}, {100, 8}, {131071, 65520}, {131072, 0}, {5, 65526}, {5, 65527}, {5, -1}, {5, -2}, {5, 1L << 32},
                {-1, 0}};
        for (long[] a : mm) calls.add(ex.call("mm", a));
        calls.add(ex.call("sizes", new long[0]));
        for (long d : new long[] {1, 0, 5, -1, 2}) calls.add(ex.call("grow", new long[] {d}));
        calls.add(ex.call("sizes", new long[0]));
        long[][] copy = {{0, 100, 4}, {65535, 100, 4}, {0, 131070, 4}, {3L << 16, 0, 0}, {(4L << 16) - 8, 100, 8}, {-1, 0, 1}};
        for (long[] a : copy) calls.add(ex.call("copy", a));
        long[][] fill = {{10, 0xAB, 20}, {65530, 1, 7}, {0, 1, -1}, {(4L << 16) - 1, 7, 1}, {4L << 16, 7, 0}, {(4L << 16) + 1, 7, 0}};
        for (long[] a : fill) calls.add(ex.call("fill", a));
        long[][] ind = {{1, 5}, {2, 5}, {0, 5}, {4, 5}, {(1L << 32) + 1, 5}, {-1, 5}};
        for (long[] a : ind) calls.add(ex.call("ind", a));
        calls.add(ex.call("tsize", new long[0]));
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            if (oracle == null) {
                if (WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
                return;
            }
            for (Engine kiln : List.of(KilnEngine.interpreter(), KilnEngine.auto(1, 1))) {
                DifferentialCheck check = new DifferentialCheck(List.of(kiln, oracle.engine()));
                assertNull(check.run(MODULE, ex.globals(), ex.memory(), calls), kiln.name());
            }
        }
    }
}
