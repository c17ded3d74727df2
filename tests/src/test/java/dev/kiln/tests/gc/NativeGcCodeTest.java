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
                (drop (array.get $boxes (array.new_default $boxes (i32.const 3)) (i32.const 3)))))
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
