package dev.kiln.tests.gc;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inline bump allocation in native code (issue 18): struct.new[_default] and
 * array.new[_default|_fixed] write their objects without calling the runtime while the heap's
 * window has room (counted by {@code Store.gcStats()[2]}, which stays 0 without the inline path),
 * every field written (defaults zero even in reused, dirty memory), and objects allocated inline
 * are found by collections (linked through fields, held only by native frames).
 */
class NativeGcAllocationTest {
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (type $box (struct (field (mut i64))))
              (type $node (struct (field i64) (field (ref null $node))))
              (type $mixed (struct (field i8) (field i16) (field i32) (field f32) (field f64) (field (ref null $box)) (field v128) (field i64)))
              (type $bytes (array (mut i8)))
              (type $shorts (array (mut i16)))
              (type $ints (array (mut i32)))
              (type $floats (array (mut f32)))
              (type $doubles (array (mut f64)))
              (type $boxes (array (mut (ref null $box))))
              ;; n boxes made and read back: the sum of 0..n-1
              (func (export "boxes") (param i32) (result i64)
                (local $i i32) (local $sum i64)
                (loop $l
                  (local.set $sum (i64.add (local.get $sum) (struct.get $box 0 (struct.new $box (i64.extend_i32_u (local.get $i))))))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (local.get $sum))
              ;; a list of n nodes held only by this frame, with dead arrays of -1 between them: collections run
              ;; (a 2 MiB cap) and reuse the arrays' memory; the list must survive whole
              (func (export "list") (param i32) (result i64)
                (local $head (ref null $node)) (local $i i32) (local $sum i64)
                (loop $l
                  (local.set $head (struct.new $node (i64.extend_i32_u (local.get $i)) (local.get $head)))
                  (drop (array.new $ints (i32.const -1) (i32.const 30)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (block $end
                  (loop $walk
                    (br_if $end (ref.is_null (local.get $head)))
                    (local.set $sum (i64.add (local.get $sum) (struct.get $node 0 (local.get $head))))
                    (local.set $head (struct.get $node 1 (local.get $head)))
                    (br $walk)))
                (local.get $sum))
              ;; n rounds of dirty garbage then default objects: counts the default fields and elements that are not zero
              (func (export "defaults") (param i32) (result i32)
                (local $i i32) (local $bad i32) (local $m (ref $mixed)) (local $a (ref $ints)) (local $j i32)
                (loop $l
                  (drop (array.new $doubles (f64.const -1) (i32.const 40)))
                  (drop (struct.new $mixed (i32.const -1) (i32.const -1) (i32.const -1) (f32.const -1) (f64.const -1)
                    (struct.new $box (i64.const -1)) (v128.const i64x2 -1 -1) (i64.const -1)))
                  (local.set $m (struct.new_default $mixed))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.or (i32.or (struct.get_u $mixed 0 (local.get $m)) (struct.get_u $mixed 1 (local.get $m)))
                      (i32.or (struct.get $mixed 2 (local.get $m)) (i32.reinterpret_f32 (struct.get $mixed 3 (local.get $m)))))))
                  (local.set $bad (i32.add (local.get $bad) (i32.wrap_i64 (i64.or (i64.reinterpret_f64 (struct.get $mixed 4 (local.get $m)))
                    (i64.or (struct.get $mixed 7 (local.get $m)) (i64x2.extract_lane 1 (struct.get $mixed 6 (local.get $m))))))))
                  (local.set $bad (i32.add (local.get $bad) (i32.eqz (ref.is_null (struct.get $mixed 5 (local.get $m))))))
                  (local.set $a (array.new_default $ints (i32.rem_u (local.get $i) (i32.const 9))))
                  (local.set $j (i32.const 0))
                  (block $done
                    (loop $e
                      (br_if $done (i32.ge_u (local.get $j) (array.len (local.get $a))))
                      (local.set $bad (i32.add (local.get $bad) (i32.ne (array.get $ints (local.get $a) (local.get $j)) (i32.const 0))))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br $e)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (local.get $bad))
              ;; array.new of every element width: len * the (truncated) value, summed; the boxes all the same box
              (func (export "filled") (param i32 i32) (result i32 i32 i32 f64 f64 i32)
                (local $k i32) (local $b (ref $bytes)) (local $s (ref $shorts)) (local $n (ref $ints))
                (local $f (ref $floats)) (local $d (ref $doubles)) (local $x (ref $boxes)) (local $box (ref $box))
                (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 f64) (local $r4 f64) (local $r5 i32)
                (local.set $b (array.new $bytes (local.get 0) (local.get 1)))
                (local.set $s (array.new $shorts (local.get 0) (local.get 1)))
                (local.set $n (array.new $ints (local.get 0) (local.get 1)))
                (local.set $f (array.new $floats (f32.convert_i32_s (local.get 0)) (local.get 1)))
                (local.set $d (array.new $doubles (f64.convert_i32_s (local.get 0)) (local.get 1)))
                (local.set $box (struct.new $box (i64.const 5)))
                (local.set $x (array.new $boxes (local.get $box) (local.get 1)))
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get $k) (local.get 1)))
                    (local.set $r0 (i32.add (local.get $r0) (array.get_u $bytes (local.get $b) (local.get $k))))
                    (local.set $r1 (i32.add (local.get $r1) (array.get_u $shorts (local.get $s) (local.get $k))))
                    (local.set $r2 (i32.add (local.get $r2) (array.get $ints (local.get $n) (local.get $k))))
                    (local.set $r3 (f64.add (local.get $r3) (f64.promote_f32 (array.get $floats (local.get $f) (local.get $k)))))
                    (local.set $r4 (f64.add (local.get $r4) (array.get $doubles (local.get $d) (local.get $k))))
                    (local.set $r5 (i32.add (local.get $r5) (ref.eq (array.get $boxes (local.get $x) (local.get $k)) (local.get $box))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $l)))
                (i32.add (local.get $r0) (i32.shl (array.len (local.get $b)) (i32.const 24)))
                (local.get $r1) (local.get $r2) (local.get $r3) (local.get $r4) (local.get $r5))
              ;; array.new_fixed: the elements in order
              (func (export "fixed") (param i32) (result i32 i32 i64)
                (local $n (ref $ints)) (local $b (ref $bytes)) (local $x (ref $boxes))
                (local.set $n (array.new_fixed $ints 4 (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4)))
                (local.set $b (array.new_fixed $bytes 3 (i32.const 0x101) (local.get 0) (i32.const 0xFF)))
                (local.set $x (array.new_fixed $boxes 2 (ref.null $box) (struct.new $box (i64.extend_i32_s (local.get 0)))))
                (i32.add (i32.mul (array.len (local.get $n)) (i32.const 1000))
                  (i32.add (i32.add (array.get $ints (local.get $n) (i32.const 0)) (i32.mul (array.get $ints (local.get $n) (i32.const 1)) (i32.const 10)))
                    (i32.add (i32.mul (array.get $ints (local.get $n) (i32.const 2)) (i32.const 100)) (array.get $ints (local.get $n) (i32.const 3)))))
                (i32.add (i32.shl (array.get_u $bytes (local.get $b) (i32.const 0)) (i32.const 16))
                  (i32.add (i32.shl (array.get_u $bytes (local.get $b) (i32.const 1)) (i32.const 8)) (array.get_u $bytes (local.get $b) (i32.const 2))))
                (i64.add (i64.extend_i32_u (ref.is_null (array.get $boxes (local.get $x) (i32.const 0))))
                  (struct.get $box 0 (ref.as_non_null (array.get $boxes (local.get $x) (i32.const 1))))))
;; array.fill of part of an array of each width: the sum of all elements after filling [offset, offset + n) with v
              (func (export "fill") (param $off i32) (param $n i32) (param $v i32) (result i32 i32 i64 f64)
                (local $b (ref $bytes)) (local $s (ref $shorts)) (local $x (ref $boxes)) (local $d (ref $doubles))
                (local $k i32) (local $r0 i32) (local $r1 i32) (local $r2 i64) (local $r3 f64)
                (local.set $b (array.new $bytes (i32.const 1) (i32.const 10)))
                (local.set $s (array.new $shorts (i32.const 1) (i32.const 10)))
                (local.set $x (array.new_default $boxes (i32.const 10)))
                (local.set $d (array.new $doubles (f64.const 1) (i32.const 10)))
                (array.fill $bytes (local.get $b) (local.get $off) (local.get $v) (local.get $n))
                (array.fill $shorts (local.get $s) (local.get $off) (local.get $v) (local.get $n))
                (array.fill $boxes (local.get $x) (local.get $off) (struct.new $box (i64.extend_i32_u (local.get $v))) (local.get $n))
                (array.fill $doubles (local.get $d) (local.get $off) (f64.convert_i32_s (local.get $v)) (local.get $n))
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get $k) (i32.const 10)))
                    (local.set $r0 (i32.add (local.get $r0) (array.get_u $bytes (local.get $b) (local.get $k))))
                    (local.set $r1 (i32.add (local.get $r1) (array.get_u $shorts (local.get $s) (local.get $k))))
                    (if (i32.eqz (ref.is_null (array.get $boxes (local.get $x) (local.get $k))))
                      (then (local.set $r2 (i64.add (local.get $r2) (struct.get $box 0 (ref.as_non_null (array.get $boxes (local.get $x) (local.get $k))))))))
                    (local.set $r3 (f64.add (local.get $r3) (array.get $doubles (local.get $d) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $l)))
                (local.get $r0) (local.get $r1) (local.get $r2) (local.get $r3))
              (func (export "fillNull") (array.fill $bytes (ref.null $bytes) (i32.const 0) (i32.const 0) (i32.const 0)))
              ;; an array too long for the inline path: the runtime allocates it or traps
              (func (export "long") (param i32) (result i32) (array.len (array.new_default $ints (local.get 0))))
            )
            """);

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void objectsAreMadeInlineWithoutCallingTheRuntime(Tier tier) {
        run(tier, (store, i) -> {
            long before = store.gcStats()[2];
            assertEquals(100_000L * 99_999 / 2, i.function("boxes").call(100_000)[0]);
            long inline = store.gcStats()[2] - before;
            // a runtime call only when the window runs out (at most every few thousand boxes)
            assertTrue(inline > 99_000, "objects allocated inline: " + inline);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void objectsMadeInlineSurviveCollectionsThatReuseDirtyMemory(Tier tier) {
        run(tier, (store, i) -> {
            long collections = store.gcStats()[0];
            assertEquals(30_000L * 29_999 / 2, i.function("list").call(30_000)[0]);
            assertEquals(0, i.function("defaults").call(20_000)[0]);
            assertTrue(store.gcStats()[0] - collections > 3, "collections ran: " + (store.gcStats()[0] - collections));
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void arraysOfEveryWidthAreFilled(Tier tier) {
        run(tier, (store, i) -> {
            for (int len : new int[] {0, 1, 2, 3, 7, 8, 9, 100}) {
                long[] r = i.function("filled").call(0x1234_56FE, len);
                assertEquals(len * 0xFE + (len << 24), (int) r[0], "bytes, length " + len);
                assertEquals(len * 0x56FE, (int) r[1], "shorts, length " + len);
                assertEquals(len * 0x1234_56FE, (int) r[2], "ints, length " + len);
                assertEquals(len * (double) (float) 0x1234_56FE, Double.longBitsToDouble(r[3]), "floats, length " + len);
                assertEquals(len * (double) 0x1234_56FE, Double.longBitsToDouble(r[4]), "doubles, length " + len);
                assertEquals(len, (int) r[5], "boxes, length " + len);
            }
            long[] f = i.function("fixed").call(-7);
            assertEquals(4000 - 7 + 20 + 300 + 4, (int) f[0]);
            assertEquals(0x01F9FF, (int) f[1]);
            assertEquals(1 - 7, f[2]);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void arrayFillWritesItsRangeAndTrapsOutside(Tier tier) {
        run(tier, (store, i) -> {
            int[][] ranges = {{0, 0}, {0, 10}, {3, 4}, {9, 1}, {10, 0}, {2, 8}};
            for (int[] r : ranges) {
                int off = r[0], n = r[1];
                long[] s = i.function("fill").call(off, n, 0x1_02FF);
                assertEquals(10 - n + n * 0xFF, (int) s[0], "bytes " + off + "+" + n);
                assertEquals(10 - n + n * 0x02FF, (int) s[1], "shorts " + off + "+" + n);
                assertEquals(n * 0x1_02FFL, s[2], "boxes " + off + "+" + n);
                assertEquals(10 - n + n * (double) 0x1_02FF, Double.longBitsToDouble(s[3]), "doubles " + off + "+" + n);
            }
            int[][] outside = {{11, 0}, {0, 11}, {5, 6}, {-1, 1}, {1, -1}, {Integer.MIN_VALUE, Integer.MIN_VALUE}};
            for (int[] r : outside) {
                assertTrue(assertThrows(WasmTrap.class, () -> i.function("fill").call(r[0], r[1], 1)).getMessage()
                        .contains("out of bounds array access"), r[0] + "+" + r[1]);
            }
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("fillNull").call()).getMessage().contains("null array reference"));
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void arraysTooLongForTheInlinePathGoToTheRuntime(Tier tier) {
        run(tier, (store, i) -> {
            assertEquals(300_000, i.function("long").call(300_000)[0]);
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("long").call(20_000_000)).getMessage().contains("out of GC heap memory"));
            assertThrows(WasmTrap.class, () -> i.function("long").call(-1));
            assertEquals(5, i.function("long").call(5)[0]);
        });
    }

    @Test
    void theInterpreterAllocatesNothingInline() {
        run(Tier.INTERP, (store, i) -> {
            assertEquals(45, i.function("boxes").call(10)[0]);
            assertEquals(0, store.gcStats()[2]);
        });
    }

    /** Under auto every function is compiled at its first call; a 2 MiB heap collects often. */
    private static void run(Tier tier, BiConsumer<Store, Instance> test) {
        Engine.Builder b = Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) b.hotCalls(1).hotLoops(1);
        try (Store store = new Store(b.build()).maxGcHeapBytes(2 << 20)) {
            test.accept(store, store.instantiate(WasmModule.of(MODULE), new Imports()));
        }
    }
}
