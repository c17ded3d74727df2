package dev.kiln.tests.gc;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GC code compiled to native code: objects that only native frames hold (locals, operands of a
 * pending instruction, values of a caller's frame) survive collections that allocations inside
 * native code run, and values of every type go through GC fields intact.
 */
class NativeGcCodeTest {
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (type $box (struct (field (mut i64))))
              (type $mixed (struct (field i8) (field f32) (field f64) (field v128) (field (ref null $box))))
              (type $boxes (array (mut (ref null $box))))
              (type $bytes (array (mut i8)))
              (type $shorts (array (mut i16)))
              (type $floats (array (mut f32)))
              (type $doubles (array (mut f64)))
              (type $vecs (array (mut v128)))
              ;; about 4.8 MiB of dead boxes: under a 2 MiB cap that collects several times
              (func $churn
                (local i32)
                (loop $l
                  (drop (struct.new $box (i64.const -1)))
                  (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 300000)))))
              ;; a box held only by a local of this native frame
              (func (export "local") (param i64) (result i64)
                (local $a (ref $box))
                (local.set $a (struct.new $box (local.get 0)))
                (call $churn)
                (struct.get $box 0 (local.get $a)))
              ;; a box held by the caller's frame while the callee allocates
              (func $keep (param (ref $box)) (result (ref $box)) (call $churn) (local.get 0))
              (func (export "caller") (param i64) (result i64)
                (struct.get $box 0 (call $keep (struct.new $box (local.get 0)))))
              ;; boxes in an array that only this frame holds, each allocated while the array is live
              (func (export "array") (param i32) (result i64)
                (local $a (ref $boxes)) (local $i i32) (local $sum i64)
                (local.set $a (array.new_default $boxes (local.get 0)))
                (loop $fill
                  (array.set $boxes (local.get $a) (local.get $i) (struct.new $box (i64.extend_i32_u (local.get $i))))
                  (drop (array.new_default $boxes (i32.const 100)))
                  (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (call $churn)
                (local.set $i (i32.const 0))
                (loop $add
                  (local.set $sum (i64.add (local.get $sum) (struct.get $box 0 (array.get $boxes (local.get $a) (local.get $i)))))
                  (br_if $add (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (local.get $sum))
              ;; every field kind through a struct and back
              (func (export "mixed") (param i32 f32 f64 i64) (result i32 i32 f32 f64 i64 i64)
                (local $m (ref $mixed))
                (local.set $m (struct.new $mixed (local.get 0) (local.get 1) (local.get 2)
                  (i64x2.splat (local.get 3)) (struct.new $box (local.get 3))))
                (call $churn)
                (struct.get_s $mixed 0 (local.get $m))
                (struct.get_u $mixed 0 (local.get $m))
                (struct.get $mixed 1 (local.get $m))
                (struct.get $mixed 2 (local.get $m))
                (i64x2.extract_lane 1 (struct.get $mixed 3 (local.get $m)))
                (struct.get $box 0 (ref.as_non_null (struct.get $mixed 4 (local.get $m)))))
              (func (export "i31") (param i32) (result i32 i32)
                (i31.get_s (ref.i31 (local.get 0))) (i31.get_u (ref.i31 (local.get 0))))
              (func (export "nullBox") (result i64) (struct.get $box 0 (ref.null $box)))
              (func (export "badCast") (result i32) (ref.test (ref $box) (ref.i31 (i32.const 1)))
                (drop (ref.cast (ref $box) (ref.i31 (i32.const 1)))))
              (func (export "outOfBounds") (result i32) (array.len (array.new_default $boxes (i32.const 3)))
                (drop (array.get $boxes (array.new_default $boxes (i32.const 3)) (i32.const 3))))
              (func (export "nullSet") (struct.set $box 0 (ref.null $box) (i64.const 1)))
              (func (export "nullLen") (result i32) (array.len (ref.null $bytes)))
              (func (export "nullGet") (result i32) (array.get_u $bytes (ref.null $bytes) (i32.const 0)))
              (func (export "nullElementSet") (array.set $bytes (ref.null $bytes) (i32.const 0) (i32.const 0)))
              ;; sets element i of a 4-byte array: traps out of bounds for i >= 4 (and for -1, unsigned)
              (func (export "setAt") (param i32) (result i32)
                (local $a (ref $bytes))
                (local.set $a (array.new_default $bytes (i32.const 4)))
                (array.set $bytes (local.get $a) (local.get 0) (i32.const 9))
                (array.get_u $bytes (local.get $a) (local.get 0)))
              ;; packed elements: the stored value truncated, read back signed and unsigned, beside untouched neighbours
              (func (export "packed") (param i32 i32) (result i32 i32 i32 i32 i32)
                (local $b (ref $bytes)) (local $h (ref $shorts))
                (local.set $b (array.new $bytes (i32.const 0x55) (i32.const 7)))
                (local.set $h (array.new $shorts (i32.const 0x1234) (i32.const 5)))
                (array.set $bytes (local.get $b) (local.get 1) (local.get 0))
                (array.set $shorts (local.get $h) (local.get 1) (local.get 0))
                (array.get_s $bytes (local.get $b) (local.get 1))
                (array.get_u $bytes (local.get $b) (local.get 1))
                (array.get_s $shorts (local.get $h) (local.get 1))
                (i32.add (array.get_u $shorts (local.get $h) (local.get 1)) (array.get_u $bytes (local.get $b) (i32.add (local.get 1) (i32.const 1))))
                (i32.add (array.len (local.get $b)) (array.get_u $shorts (local.get $h) (i32.sub (local.get 1) (i32.const 1)))))
              ;; f32, f64 and v128 elements stored at index i and read back, the neighbours still zero
              (func (export "wide") (param f32 f64 i64 i32) (result f32 f64 i64 i64 f64)
                (local $f (ref $floats)) (local $d (ref $doubles)) (local $v (ref $vecs))
                (local.set $f (array.new_default $floats (i32.const 3)))
                (local.set $d (array.new_default $doubles (i32.const 3)))
                (local.set $v (array.new_default $vecs (i32.const 3)))
                (array.set $floats (local.get $f) (local.get 3) (local.get 0))
                (array.set $doubles (local.get $d) (local.get 3) (local.get 1))
                (array.set $vecs (local.get $v) (local.get 3) (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (i64.const -5)))
                (array.get $floats (local.get $f) (local.get 3))
                (array.get $doubles (local.get $d) (local.get 3))
                (i64x2.extract_lane 0 (array.get $vecs (local.get $v) (local.get 3)))
                (i64x2.extract_lane 1 (array.get $vecs (local.get $v) (local.get 3)))
                (f64.add (array.get $doubles (local.get $d) (i32.const 0))
                  (f64.add (f64.convert_i64_s (i64x2.extract_lane 1 (array.get $vecs (local.get $v) (i32.const 2))))
                           (f64.promote_f32 (array.get $floats (local.get $f) (i32.const 2)))))))
            """);

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void objectsOnlyNativeFramesHoldSurviveCollections(Tier tier) {
        run(tier, i -> {
            assertEquals(42, i.function("local").call(42)[0]);
            assertEquals(7, i.function("caller").call(7)[0]);
            assertEquals(2000L * 1999 / 2, i.function("array").call(2000)[0]);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void valuesOfEveryFieldTypeRoundTrip(Tier tier) {
        run(tier, i -> {
            long[] r = i.function("mixed").call(0xF0, Float.floatToRawIntBits(1.5f), Double.doubleToRawLongBits(-2.25), 77);
            assertEquals(-16, (int) r[0]);
            assertEquals(0xF0, r[1]);
            assertEquals(1.5f, Float.intBitsToFloat((int) r[2]));
            assertEquals(-2.25, Double.longBitsToDouble(r[3]));
            assertEquals(77, r[4]);
            assertEquals(77, r[5]);
            long[] s = i.function("i31").call(0x4000_0001);
            assertEquals(0xC000_0001, (int) s[0]);
            assertEquals(0x4000_0001, (int) s[1]);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void gcTrapsComeFromNativeCode(Tier tier) {
        run(tier, i -> {
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("nullBox").call()).getMessage().contains("null structure reference"));
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("badCast").call()).getMessage().contains("cast failure"));
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("outOfBounds").call()).getMessage().contains("out of bounds array access"));
            assertTrue(assertThrows(WasmTrap.class, () -> i.function("nullSet").call()).getMessage().contains("null structure reference"));
            for (String f : new String[] {"nullLen", "nullGet", "nullElementSet"}) {
                assertTrue(assertThrows(WasmTrap.class, () -> i.function(f).call()).getMessage().contains("null array reference"), f);
            }
            assertEquals(9, i.function("setAt").call(3)[0]);
            for (int at : new int[] {4, -1, Integer.MIN_VALUE}) {
                assertTrue(assertThrows(WasmTrap.class, () -> i.function("setAt").call(at)).getMessage().contains("out of bounds array access"), "index " + at);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void arrayElementsOfEveryWidth(Tier tier) {
        run(tier, i -> {
            long[] r = i.function("packed").call(0xFEDC_BA98, 2);
            assertEquals(0xFFFF_FF98, (int) r[0]);
            assertEquals(0x98, r[1]);
            assertEquals(0xFFFF_BA98, (int) r[2]);
            assertEquals(0xBA98 + 0x55, r[3]);
            assertEquals(7 + 0x1234, r[4]);
            long[] w = i.function("wide").call(Float.floatToRawIntBits(2.5f), Double.doubleToRawLongBits(-0.125), 123, 1);
            assertEquals(2.5f, Float.intBitsToFloat((int) w[0]));
            assertEquals(-0.125, Double.longBitsToDouble(w[1]));
            assertEquals(123, w[2]);
            assertEquals(-5, w[3]);
            assertEquals(0.0, Double.longBitsToDouble(w[4]));
        });
    }

    /** Under auto every function is compiled at its first call. */
    private static void run(Tier tier, Consumer<Instance> test) {
        Engine.Builder b = Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) b.hotCalls(1).hotLoops(1);
        try (Store store = new Store(b.build()).maxGcHeapBytes(2 << 20)) {
            test.accept(store.instantiate(WasmModule.of(MODULE), new Imports()));
        }
    }
}
