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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * array.copy in native code (inline for elements up to 8 bytes, issue 18) gives what the
 * interpreter gives: every (n, d, s) of arrays of {@value #LENGTH} elements of every width, one
 * array (overlapping, both directions) and two; long copies at small overlap distances (the 8-byte
 * loops and their byte tails); the null and bounds traps, with indices whose sums pass 2^32.
 */
class NativeGcCopyTest {
    private static final int LENGTH = 13;

    /** An element type: its storage type, the value made from i32 {@code %s}, and an i64 read of element {@code %s}. */
    private record Element(String name, String storage, String make, String read) {
    }

    private static final List<Element> ELEMENTS = List.of(
            new Element("i8", "i8", "(i32.mul %s (i32.const 37))", "(i64.extend_i32_u (array.get_u $i8 %s))"),
            new Element("i16", "i16", "(i32.mul %s (i32.const 4099))", "(i64.extend_i32_u (array.get_u $i16 %s))"),
            new Element("i32", "i32", "(i32.mul %s (i32.const 0x01000193))", "(i64.extend_i32_u (array.get $i32 %s))"),
            new Element("i64", "i64", "(i64.mul (i64.extend_i32_u %s) (i64.const 0x100000001b3))", "(array.get $i64 %s)"),
            new Element("f32", "f32", "(f32.convert_i32_s (i32.sub %s (i32.const 5)))", "(i64.extend_i32_u (i32.reinterpret_f32 (array.get $f32 %s)))"),
            new Element("f64", "f64", "(f64.convert_i32_s (i32.sub %s (i32.const 5)))", "(i64.reinterpret_f64 (array.get $f64 %s))"),
            new Element("ref", "(ref null $box)", "(call $box %s)", "(call $unbox (array.get $ref %s))"));

    private static final byte[] MODULE = Wat3.compile(module());

    private static String module() {
        StringBuilder w = new StringBuilder("""
                (module
                  (type $box (struct (field i64)))
                  ;; every third value is null
                  (func $box (param i32) (result (ref null $box))
                    (if (result (ref null $box)) (i32.rem_u (local.get 0) (i32.const 3))
                      (then (struct.new $box (i64.extend_i32_u (local.get 0)))) (else (ref.null $box))))
                  (func $unbox (param (ref null $box)) (result i64)
                    (if (result i64) (ref.is_null (local.get 0)) (then (i64.const -1)) (else (struct.get $box 0 (local.get 0)))))
                """);
        for (Element e : ELEMENTS) w.append(functions(e));
        return w.append(")").toString();
    }

    private static String functions(Element e) {
        String t = "$" + e.name();
        return """
                  (type @T (array (mut STORAGE)))
                  (func $make_NAME (param $base i32) (param $len i32) (result (ref @T))
                    (local $a (ref @T)) (local $k i32)
                    (local.set $a (array.new_default @T (local.get $len)))
                    (if (local.get $len) (then
                      (loop $l
                        (array.set @T (local.get $a) (local.get $k) MAKE)
                        (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $len))))))
                    (local.get $a))
                  (func $hash_NAME (param $a (ref @T)) (result i64)
                    (local $k i32) (local $h i64)
                    (if (array.len (local.get $a)) (then
                      (loop $l
                        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 1000003)) READ))
                        (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (array.len (local.get $a)))))))
                    (local.get $h))
                  ;; a fresh array and (unless $same) a second one, array.copy, the destination's hash
                  (func $copy_NAME (export "copy_NAME") (param $len i32) (param $d i32) (param $s i32) (param $n i32) (param $same i32) (result i64)
                    (local $a (ref @T))
                    (local.set $a (call $make_NAME (i32.const 0) (local.get $len)))
                    (array.copy @T @T (local.get $a) (local.get $d)
                      (if (result (ref @T)) (local.get $same) (then (local.get $a)) (else (call $make_NAME (i32.const 100) (local.get $len))))
                      (local.get $s) (local.get $n))
                    (call $hash_NAME (local.get $a)))
                  ;; every n <= LENGTH, d <= LENGTH - n, s <= LENGTH - n
                  (func (export "sweep_NAME") (param $same i32) (result i64)
                    (local $n i32) (local $d i32) (local $s i32) (local $h i64)
                    (loop $ln
                      (local.set $d (i32.const 0))
                      (loop $ld
                        (local.set $s (i32.const 0))
                        (loop $ls
                          (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                            (call $copy_NAME (i32.const LENGTH) (local.get $d) (local.get $s) (local.get $n) (local.get $same))))
                          (br_if $ls (i32.le_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (i32.sub (i32.const LENGTH) (local.get $n)))))
                        (br_if $ld (i32.le_u (local.tee $d (i32.add (local.get $d) (i32.const 1))) (i32.sub (i32.const LENGTH) (local.get $n)))))
                      (br_if $ln (i32.le_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const LENGTH))))
                    (local.get $h))
                  ;; array.copy of possibly null arrays (bit 0: the destination, bit 1: the source)
                  (func (export "nulls_NAME") (param $nulls i32)
                    (local $a (ref null @T)) (local $b (ref null @T))
                    (if (i32.eqz (i32.and (local.get $nulls) (i32.const 1))) (then (local.set $a (call $make_NAME (i32.const 0) (i32.const 4)))))
                    (if (i32.eqz (i32.and (local.get $nulls) (i32.const 2))) (then (local.set $b (call $make_NAME (i32.const 0) (i32.const 4)))))
                    (array.copy @T @T (local.get $a) (i32.const 9) (local.get $b) (i32.const 9) (i32.const 1)))
                """.replace("NAME", e.name()).replace("STORAGE", e.storage()).replace("@T", t)
                .replace("MAKE", e.make().formatted("(i32.add (local.get $k) (local.get $base))"))
                .replace("READ", e.read().formatted("(local.get $a) (local.get $k)"))
                .replace("LENGTH", Integer.toString(LENGTH));
    }

    @Test
    void everyRangeOfEveryWidthCopiesAsTheInterpreterDoes() {
        for (Element e : ELEMENTS) {
            for (int same = 0; same <= 1; same++) {
                int s = same;
                agree(i -> i.function("sweep_" + e.name()).call(s), e.name() + (same == 1 ? " in one array" : " between two"));
            }
        }
    }

    @Test
    void longOverlappingCopiesAsTheInterpreterDoes() {
        List<long[]> cases = new ArrayList<>();
        for (int distance = 0; distance <= 9; distance++) {
            cases.add(new long[] {1000, distance, 0, 1000 - distance, 1});
            cases.add(new long[] {1000, 0, distance, 1000 - distance, 1});
            cases.add(new long[] {1003, 3 + distance, 3, 997 - distance, 0});
        }
        for (Element e : ELEMENTS) {
            for (long[] c : cases) agree(i -> i.function("copy_" + e.name()).call(c), e.name() + " " + Arrays.toString(c));
        }
    }

    /** Null operands trap before the bounds; d + n and s + n are compared without wrapping at 2^32. */
    @Test
    void trapsAsTheInterpreterDoes() {
        long[][] cases = {
                {LENGTH, 1, 1, 0xFFFF_FFFFL, 0}, {LENGTH, 0xFFFF_FFFFL, 0, 1, 0}, {LENGTH, 0, 0xFFFF_FFFFL, 1, 0},
                {LENGTH, 0x8000_0000L, 0x8000_0000L, 0x8000_0000L, 1}, {LENGTH, LENGTH, 0, 1, 0}, {LENGTH, 0, LENGTH, 1, 1},
                {LENGTH, LENGTH, LENGTH, 0, 0}, {LENGTH, LENGTH + 1, 0, 0, 0}, {LENGTH, 0, LENGTH + 1, 0, 1}, {0, 0, 0, 0, 0}};
        for (Element e : ELEMENTS) {
            for (long[] c : cases) agree(i -> i.function("copy_" + e.name()).call(c), e.name() + " " + Arrays.toString(c));
            for (int nulls = 1; nulls <= 3; nulls++) {
                int n = nulls;
                for (Tier tier : NATIVE_TIERS) {
                    assertEquals("trap: null array reference", outcome(tier, i -> i.function("nulls_" + e.name()).call(n)), tier + " " + e.name() + " nulls " + nulls);
                }
            }
        }
    }

    /** The tiers checked against the interpreter: native code, and auto with every function compiled at its first call. */
    private static final List<Tier> NATIVE_TIERS = List.of(Tier.NATIVE, Tier.AUTO);

    /** {@code call}'s outcome on each of {@link #NATIVE_TIERS} is the interpreter's. */
    private static void agree(Function<Instance, long[]> call, String what) {
        String expected = outcome(Tier.INTERP, call);
        for (Tier tier : NATIVE_TIERS) assertEquals(expected, outcome(tier, call), tier + " " + what);
    }

    /** The result, or the trap's message; under auto every function is compiled at its first call. */
    private static String outcome(Tier tier, Function<Instance, long[]> call) {
        Engine.Builder b = Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) b.hotCalls(1).hotLoops(1);
        try (Store store = new Store(b.build()).maxGcHeapBytes(4 << 20)) {
            Instance instance = store.instantiate(WasmModule.of(MODULE), new Imports());
            try {
                return Long.toString(call.apply(instance)[0]);
            } catch (WasmTrap t) {
                String m = t.getMessage();
                return "trap: " + (m.contains("null array reference") ? "null array reference"
                        : m.contains("out of bounds array access") ? "out of bounds array access" : m);
            }
        }
    }
}
