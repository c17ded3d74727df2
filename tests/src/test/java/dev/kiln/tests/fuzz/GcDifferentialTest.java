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
 * GC programs against wasmtime (which runs GC by default): binary trees (allocation, recursion
 * over structs, many collections), arrays (new_data, fill, copy with overlap, packed elements,
 * bounds traps), subtyping casts over a struct hierarchy with i31 and null in the mix, and
 * linked lists built in a loop. Interpreter and {@code auto} (these functions stay interpreted).
 * Handwritten; the generator does not make GC types yet.
 */
@Tag("differential")
class GcDifferentialTest {
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree)) (field $v i32)))
              (type $bytes (array (mut i8)))
              (type $longs (array (mut i64)))
              (type $shape (sub (struct (field $id i32))))
              (type $circle (sub $shape (struct (field $id i32) (field $radius f64))))
              (type $square (sub final $shape (struct (field $id i32) (field $side i16))))
              (type $list (struct (field $head i64) (field $tail (ref null $list))))
              (data $d "\\01\\02\\03\\04\\05\\06\\07\\08\\f0\\f1")
              (table $objs 8 anyref)

              (func $make (param $d i32) (result (ref null $tree))
                (if (result (ref null $tree)) (i32.eqz (local.get $d))
                  (then (struct.new $tree (ref.null $tree) (ref.null $tree) (i32.const 1)))
                  (else (struct.new $tree
                          (call $make (i32.sub (local.get $d) (i32.const 1)))
                          (call $make (i32.sub (local.get $d) (i32.const 1)))
                          (local.get $d)))))
              (func $check (param $t (ref null $tree)) (result i32)
                (if (result i32) (ref.is_null (struct.get $tree $l (local.get $t)))
                  (then (struct.get $tree $v (local.get $t)))
                  (else (i32.add (struct.get $tree $v (local.get $t))
                          (i32.sub (call $check (struct.get $tree $l (local.get $t)))
                                   (call $check (struct.get $tree $r (local.get $t))))))))
              (func (export "trees") (param $depth i32) (param $iterations i32) (result i32)
                (local $sum i32)
                (loop $l
                  (local.set $sum (i32.add (local.get $sum) (call $check (call $make (local.get $depth)))))
                  (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
                  (br_if $l (i32.gt_s (local.get $iterations) (i32.const 0))))
                (local.get $sum))

              (func (export "bytes") (param $off i32) (param $n i32) (param $i i32) (result i32)
                (local $a (ref $bytes))
                (local.set $a (array.new_data $bytes $d (local.get $off) (local.get $n)))
                (i32.add (i32.mul (array.get_s $bytes (local.get $a) (local.get $i)) (i32.const 1000))
                         (array.get_u $bytes (local.get $a) (local.get $i))))
              (func (export "longs") (param $n i32) (param $d i32) (param $s i32) (param $k i32) (result i64)
                (local $a (ref $longs)) (local $i i32) (local $sum i64)
                (local.set $a (array.new_default $longs (local.get $n)))
                (loop $f
                  (if (i32.lt_u (local.get $i) (local.get $n))
                    (then (array.set $longs (local.get $a) (local.get $i) (i64.extend_i32_u (i32.mul (local.get $i) (local.get $i))))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (br $f))))
                (array.copy $longs $longs (local.get $a) (local.get $d) (local.get $a) (local.get $s) (local.get $k))
                (array.fill $longs (local.get $a) (i32.const 0) (i64.const -1) (i32.const 1))
                (local.set $i (i32.const 0))
                (loop $g
                  (if (i32.lt_u (local.get $i) (array.len (local.get $a)))
                    (then (local.set $sum (i64.add (i64.mul (local.get $sum) (i64.const 31)) (array.get $longs (local.get $a) (local.get $i))))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (br $g))))
                (local.get $sum))

              (func (export "fill-objs")
                (table.set $objs (i32.const 1) (ref.i31 (i32.const -5)))
                (table.set $objs (i32.const 2) (struct.new $shape (i32.const 10)))
                (table.set $objs (i32.const 3) (struct.new $circle (i32.const 11) (f64.const 2.5)))
                (table.set $objs (i32.const 4) (struct.new $square (i32.const 12) (i32.const 70000)))
                (table.set $objs (i32.const 5) (array.new_fixed $longs 2 (i64.const 1) (i64.const 2)))
                (table.set $objs (i32.const 6) (table.get $objs (i32.const 3))))
              (func (export "classify") (param $i i32) (result i32)
                (local $o anyref)
                (local.set $o (table.get $objs (local.get $i)))
                (i32.add (i32.add (i32.add
                  (i32.mul (ref.test (ref i31) (local.get $o)) (i32.const 1))
                  (i32.mul (ref.test (ref $shape) (local.get $o)) (i32.const 10)))
                  (i32.add (i32.mul (ref.test (ref $circle) (local.get $o)) (i32.const 100))
                           (i32.mul (ref.test (ref null $square) (local.get $o)) (i32.const 1000))))
                  (i32.add (i32.mul (ref.test (ref array) (local.get $o)) (i32.const 10000))
                           (i32.mul (ref.test (ref eq) (local.get $o)) (i32.const 100000)))))
              (func (export "shape-id") (param $i i32) (result i32)
                (struct.get $shape $id (ref.cast (ref $shape) (table.get $objs (local.get $i)))))
              (func (export "side") (param $i i32) (result i32)
                (block $no (result anyref)
                  (br_on_cast_fail $no anyref (ref $square) (table.get $objs (local.get $i)))
                  (return (struct.get_u $square $side)))
                (drop)
                (i32.const -1))
              (func (export "i31") (param $i i32) (result i32)
                (i31.get_s (ref.cast (ref i31) (table.get $objs (local.get $i)))))
              (func (export "same") (param $i i32) (param $j i32) (result i32)
                (ref.eq (ref.cast eqref (table.get $objs (local.get $i))) (ref.cast eqref (table.get $objs (local.get $j)))))

              (func (export "list") (param $n i32) (result i64)
                (local $l (ref null $list)) (local $s i64)
                (loop $b
                  (local.set $l (struct.new $list (i64.extend_i32_u (local.get $n)) (local.get $l)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $b (i32.gt_s (local.get $n) (i32.const 0))))
                (loop $w
                  (local.set $s (i64.add (i64.mul (local.get $s) (i64.const 3)) (struct.get $list $head (local.get $l))))
                  (local.set $l (struct.get $list $tail (local.get $l)))
                  (br_if $w (i32.eqz (ref.is_null (local.get $l)))))
                (local.get $s))
            )
            """);

    @Test
    void interpreterAndAutoAgreeWithWasmtime() {
        ModuleExports ex = ModuleExports.of(MODULE);
        List<CallSpec> calls = new ArrayList<>();
        calls.add(ex.call("trees", new long[] {4, 3}));
        calls.add(ex.call("trees", new long[] {14, 4}));
        long[][] bytes = {{0, 10, 9}, {2, 3, 0}, {8, 2, 1}, {0, 10, 10}, {9, 2, 0}, {11, 0, 0}, {0, -1, 0}};
        for (long[] a : bytes) calls.add(ex.call("bytes", a));
        long[][] longs = {{10, 2, 0, 5}, {10, 0, 2, 8}, {10, 5, 5, 5}, {10, 6, 0, 5}, {10, 0, 0, 0}, {0, 0, 0, 0}, {10, 10, 0, 1}};
        for (long[] a : longs) calls.add(ex.call("longs", a));
        calls.add(ex.call("fill-objs", new long[0]));
        for (long i = 0; i <= 7; i++) {
            calls.add(ex.call("classify", new long[] {i}));
            calls.add(ex.call("shape-id", new long[] {i}));
            calls.add(ex.call("side", new long[] {i}));
            calls.add(ex.call("i31", new long[] {i}));
        }
        long[][] same = {{3, 6}, {2, 3}, {1, 1}, {0, 0}, {5, 5}};
        for (long[] a : same) calls.add(ex.call("same", a));
        calls.add(ex.call("list", new long[] {100_000}));
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
