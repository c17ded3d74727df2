package dev.kiln.tests.fuzz;

import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.KilnTiers;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Several memories, 64-bit memories and a 64-bit table on every kiln tier (interpreter, native code
 * for this machine, auto at three thresholds, code read back from the cache) against wasmtime: loads
 * and stores of every width on a second 32-bit memory and on 64-bit memories (the end of the memory,
 * offsets up to 2^64 - 1 that make the effective address wrap, constant addresses, an empty
 * memory), memory.size/grow/fill/copy/init on memories other than 0 and across address types,
 * call_indirect and the table instructions with 64-bit indices, and the SIMD loads and stores on
 * a second and a 64-bit memory (on every tier too; on native code only where this machine's
 * backend compiles SIMD). Results, traps and the exported 64-bit memory's bytes must agree. The
 * native tiers compile every function of these modules (none is declined).
 */
@Tag("differential")
class MemoryDifferentialTest {
    static final byte[] MEMORIES = Wat3.compile("""
            (module
              (memory $a 1)
              (memory $b 1 2)
              (memory $w (export "mem") i64 1 3)
              (memory $z i64 0 1)
              (table $t i64 3 6 funcref)
              (elem (table $t) (i64.const 0) func $one $two)
              (data (memory $b) (i32.const 8) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
              (data (memory $w) (i64.const 65520) "\\ff\\ee\\dd\\cc\\bb\\aa\\99\\88\\77\\66\\55\\44\\33\\22\\11\\00")
              (data $p "\\de\\ad\\be\\ef\\01\\02")
              (func $one (result i64) (i64.const 1))
              (func $two (result i64) (i64.const 2))
              (func (export "b_load") (param i32) (result i64)
                (i64.add (i64.add (i64.load $b offset=1 (local.get 0))
                                  (i64.extend_i32_s (i32.load16_s $b offset=7 (local.get 0))))
                         (i64.add (i64.load8_u $b (local.get 0)) (i64.load32_s $b offset=3 (local.get 0)))))
              (func (export "b_store") (param i32 i64) (result i64)
                (i64.store $b offset=4 (local.get 0) (local.get 1))
                (i32.store8 $b (local.get 0) (i32.wrap_i64 (local.get 1)))
                (i64.add (i64.load $b offset=4 (local.get 0)) (i64.load8_s $b (local.get 0))))
              (func (export "a_b") (param i32) (result i32)
                (i32.store $a (local.get 0) (i32.const 0x11223344))
                (i32.add (i32.load $a (local.get 0)) (i32.load $b (local.get 0))))
              (func (export "a_const") (result i32) (i32.load $a (i32.const 65532)))
              (func (export "b_const") (result i32) (i32.load16_u $b offset=10 (i32.const 65524)))
              (func (export "w_load") (param i64) (result i64) (i64.load $w (local.get 0)))
              (func (export "w_load_far") (param i64) (result i32) (i32.load8_u $w offset=4294967296 (local.get 0)))
              (func (export "w_load_max") (param i64) (result i32) (i32.load8_u $w offset=18446744073709551615 (local.get 0)))
              (func (export "w_load_big") (param i64) (result i64) (i64.load $w offset=65512 (local.get 0)))
              (func (export "w_store") (param i64 i32) (result i32)
                (i32.store16 $w offset=2 (local.get 0) (local.get 1))
                (i32.load16_u $w offset=2 (local.get 0)))
              (func (export "w_float") (param i64) (result f64)
                (f32.store $w offset=8 (local.get 0) (f32.const 1.5))
                (f64.add (f64.load $w (local.get 0)) (f64.promote_f32 (f32.load $w offset=8 (local.get 0)))))
              (func (export "w_const") (result i64) (i64.load $w offset=8 (i64.const 65512)))
              (func (export "w_const_wrap") (result i32) (i32.load8_u $w offset=2 (i64.const -1)))
              (func (export "z_load") (param i64) (result i32) (i32.load8_u $z (local.get 0)))
              (func (export "sizes") (result i64)
                (i64.add (i64.add (i64.extend_i32_u (memory.size $a)) (i64.mul (i64.extend_i32_u (memory.size $b)) (i64.const 10)))
                         (i64.add (i64.mul (memory.size $w) (i64.const 100)) (i64.mul (memory.size $z) (i64.const 1000)))))
              (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
              (func (export "grow_w") (param i64) (result i64) (memory.grow $w (local.get 0)))
              (func (export "grow_z") (param i64) (result i64) (memory.grow $z (local.get 0)))
              (func (export "fill_b") (param i32 i32 i32) (result i32)
                (memory.fill $b (local.get 0) (local.get 1) (local.get 2))
                (i32.load8_u $b (local.get 0)))
              (func (export "fill_w") (param i64 i32 i64) (result i32)
                (memory.fill $w (local.get 0) (local.get 1) (local.get 2))
                (i32.load8_u $w (local.get 0)))
              (func (export "copy_wb") (param i64 i32 i32) (result i64)
                (memory.copy $w $b (local.get 0) (local.get 1) (local.get 2))
                (i64.load $w (local.get 0)))
              (func (export "copy_bw") (param i32 i64 i32) (result i64)
                (memory.copy $b $w (local.get 0) (local.get 1) (local.get 2))
                (i64.load $b (local.get 0)))
              (func (export "copy_ww") (param i64 i64 i64) (result i64)
                (memory.copy $w $w (local.get 0) (local.get 1) (local.get 2))
                (i64.load $w (local.get 0)))
              (func (export "init_w") (param i64 i32 i32) (result i32)
                (memory.init $w $p (local.get 0) (local.get 1) (local.get 2))
                (i32.load $w (local.get 0)))
              (func (export "init_b") (param i32 i32 i32) (result i32)
                (memory.init $b $p (local.get 0) (local.get 1) (local.get 2))
                (i32.load $b (local.get 0)))
              (func (export "t_call") (param i64) (result i64) (call_indirect $t (result i64) (local.get 0)))
              (func (export "t_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
              (func (export "t_set") (param i64) (table.set $t (local.get 0) (ref.func $two)))
              (func (export "t_size") (result i64) (table.size $t))
              (func (export "t_grow") (param i64) (result i64) (table.grow $t (ref.func $one) (local.get 0)))
              (func (export "t_fill") (param i64 i64) (table.fill $t (local.get 0) (ref.func $one) (local.get 1)))
              (func (export "t_copy") (param i64 i64 i64) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
            )
            """);

    static final byte[] SIMD = Wat3.compile("""
            (module
              (memory $a 1)
              (memory $b 1)
              (memory $w (export "mem") i64 1 2)
              (data (memory $b) (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12")
              (data (memory $w) (i64.const 65520) "\\ff\\ee\\dd\\cc\\bb\\aa\\99\\88\\77\\66\\55\\44\\33\\22\\11\\00")
              (func (export "v_b") (param i32) (result i64) (i64x2.extract_lane 1 (v128.load $b offset=1 (local.get 0))))
              (func (export "v_w") (param i64) (result i64) (i64x2.extract_lane 0 (v128.load $w (local.get 0))))
              (func (export "v_w_store") (param i64 i64) (result i64)
                (v128.store $w (local.get 0) (i64x2.splat (local.get 1)))
                (i64.load $w offset=8 (local.get 0)))
              (func (export "v_b_store") (param i32 i64) (result i64)
                (v128.store $b offset=2 (local.get 0) (i64x2.splat (local.get 1)))
                (i64.load $b offset=2 (local.get 0)))
              (func (export "v_lane_w") (param i64) (result i32)
                (i32x4.extract_lane 3 (v128.load32_lane $w 3 (local.get 0) (v128.const i32x4 0 0 0 0))))
              (func (export "v_store_lane_b") (param i32) (result i32)
                (v128.store8_lane $b 5 (local.get 0) (v128.const i8x16 0 1 2 3 4 0x55 6 7 8 9 10 11 12 13 14 15))
                (i32.load8_u $b (local.get 0)))
              (func (export "v_store_lane_w") (param i64) (result i64)
                (v128.store64_lane $w 1 (local.get 0) (v128.const i64x2 7 -9))
                (i64.load $w (local.get 0)))
              (func (export "v_splat_w") (param i64) (result i32) (i8x16.extract_lane_u 9 (v128.load8_splat $w (local.get 0))))
              (func (export "v_zero_b") (param i32) (result i64)
                (i64.add (i64x2.extract_lane 0 (v128.load32_zero $b (local.get 0))) (i64x2.extract_lane 1 (v128.load32_zero $b (local.get 0)))))
              (func (export "v_ext_w") (param i64) (result i32) (i32x4.extract_lane 2 (v128.load16x4_s $w (local.get 0))))
              (func (export "v_far_w") (param i64) (result i64) (i64x2.extract_lane 0 (v128.load $w offset=18446744073709551600 (local.get 0))))
              (func (export "v_a_b") (param i32) (result i32)
                (v128.store $a (local.get 0) (v128.load $b (local.get 0)))
                (i32.load $a offset=4 (local.get 0)))
            )
            """);

    /** SIMD accesses to a 64-bit memory 0 (the interpreter's general path, not the pinned memory-0 one). */
    static final byte[] SIMD_MEMORY0_64 = Wat3.compile("""
            (module
              (memory (export "mem") i64 1 2)
              (data (i64.const 65520) "\\ff\\ee\\dd\\cc\\bb\\aa\\99\\88\\77\\66\\55\\44\\33\\22\\11\\00")
              (func (export "load") (param i64) (result i64) (i64x2.extract_lane 1 (v128.load offset=8 (local.get 0))))
              (func (export "store_lane") (param i64) (result i64)
                (v128.store16_lane 6 (local.get 0) (v128.const i16x8 1 2 3 4 5 6 0x7788 8))
                (i64.load16_u (local.get 0)))
              (func (export "splat") (param i64) (result i32) (i32x4.extract_lane 2 (v128.load32_splat offset=4 (local.get 0))))
              (func (export "grow_then_load") (param i64) (result i64)
                (drop (memory.grow (i64.const 1)))
                (i64x2.extract_lane 0 (v128.load8x8_u (local.get 0))))
            )
            """);

    private static final long P = 65536;

    static List<CallSpec> memoryCalls() {
        ModuleExports ex = ModuleExports.of(MEMORIES);
        List<CallSpec> c = new ArrayList<>();
        for (long a : new long[] {0, 8, P - 16, P - 15, P - 8, P - 7, P - 1, P, -1, -8}) c.add(ex.call("b_load", new long[] {a}));
        for (long a : new long[] {0, 100, P - 12, P - 11, P - 1, -4}) c.add(ex.call("b_store", new long[] {a, 0x0102030405060708L}));
        for (long a : new long[] {0, 8, P - 4, P - 3}) c.add(ex.call("a_b", new long[] {a}));
        c.add(ex.call("a_const", new long[0]));
        c.add(ex.call("b_const", new long[0]));
        for (long a : new long[] {0, P - 16, P - 8, P - 7, P, 1L << 32, -8, -1, Long.MIN_VALUE}) c.add(ex.call("w_load", new long[] {a}));
        for (long a : new long[] {0, -(1L << 32), -(1L << 32) + P - 1, -(1L << 32) + P, 1L << 32}) c.add(ex.call("w_load_far", new long[] {a}));
        for (long a : new long[] {0, 1, -1}) c.add(ex.call("w_load_max", new long[] {a}));
        for (long a : new long[] {0, 8, 16, 17, -65512}) c.add(ex.call("w_load_big", new long[] {a}));
        for (long a : new long[] {0, P - 4, P - 3, P - 2, -2}) c.add(ex.call("w_store", new long[] {a, 0xBEEF}));
        for (long a : new long[] {0, P - 16, P - 12, P - 11}) c.add(ex.call("w_float", new long[] {a}));
        c.add(ex.call("w_const", new long[0]));
        c.add(ex.call("w_const_wrap", new long[0]));
        for (long a : new long[] {0, -1}) c.add(ex.call("z_load", new long[] {a}));
        c.add(ex.call("sizes", new long[0]));
        for (long d : new long[] {0, 1, 1, -1}) c.add(ex.call("grow_b", new long[] {d}));
        for (long d : new long[] {0, 3, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1, 1}) c.add(ex.call("grow_w", new long[] {d}));
        c.add(ex.call("w_load", new long[] {2 * P - 8}));
        c.add(ex.call("w_load", new long[] {3 * P - 8}));
        c.add(ex.call("z_load", new long[] {0}));
        for (long d : new long[] {2, Long.MAX_VALUE, 1}) c.add(ex.call("grow_z", new long[] {d}));
        c.add(ex.call("z_load", new long[] {P - 1}));
        c.add(ex.call("z_load", new long[] {P}));
        c.add(ex.call("sizes", new long[0]));
        long[][] fillB = {{10, 0xAB, 20}, {2 * P - 7, 1, 7}, {2 * P - 7, 1, 8}, {0, 1, -1}, {2 * P, 7, 0}, {2 * P + 1, 7, 0}};
        for (long[] a : fillB) c.add(ex.call("fill_b", a));
        long[][] fillW = {{10, 0xCD, 20}, {3 * P - 1, 7, 1}, {3 * P, 7, 0}, {3 * P + 1, 7, 0}, {0, 1, -1}, {-1, 1, 1}};
        for (long[] a : fillW) c.add(ex.call("fill_w", a));
        long[][] copyWB = {{0, 8, 8}, {3 * P - 8, 8, 8}, {3 * P - 7, 8, 8}, {0, 2 * P - 4, 8}, {-1, 0, 0}, {0, 0, -1}};
        for (long[] a : copyWB) c.add(ex.call("copy_wb", a));
        long[][] copyBW = {{40, P - 16, 16}, {0, 3 * P - 8, 9}, {2 * P - 8, 0, 8}, {0, -1, 1}};
        for (long[] a : copyBW) c.add(ex.call("copy_bw", a));
        long[][] copyWW = {{100, P - 16, 16}, {104, 100, 16}, {96, 100, 16}, {0, 3 * P - 4, 4}, {0, 1, -1}};
        for (long[] a : copyWW) c.add(ex.call("copy_ww", a));
        long[][] initW = {{200, 0, 4}, {3 * P - 2, 0, 2}, {3 * P - 2, 0, 3}, {0, 5, 2}, {-1, 0, 0}};
        for (long[] a : initW) c.add(ex.call("init_w", a));
        long[][] initB = {{300, 2, 4}, {2 * P - 4, 0, 4}, {2 * P - 3, 0, 4}};
        for (long[] a : initB) c.add(ex.call("init_b", a));
        for (long i : new long[] {0, 1, 2, 3, 1L << 32, -1}) c.add(ex.call("t_call", new long[] {i}));
        // in bounds only: wasmtime names every out-of-bounds table access "undefined element", the spec (and kiln) "out of
        // bounds table access"; the *64 spec scripts check those traps on every tier
        for (long i : new long[] {1, 2}) c.add(ex.call("t_null", new long[] {i}));
        c.add(ex.call("t_set", new long[] {2}));
        c.add(ex.call("t_call", new long[] {2}));
        c.add(ex.call("t_size", new long[0]));
        for (long d : new long[] {1, 0, 5, -1, 2}) c.add(ex.call("t_grow", new long[] {d}));
        c.add(ex.call("t_size", new long[0]));
        for (long[] a : new long[][] {{3, 2}, {4, 2}, {6, 0}}) c.add(ex.call("t_fill", a));
        c.add(ex.call("t_call", new long[] {4}));
        for (long[] a : new long[][] {{0, 1, 2}, {4, 0, 2}, {6, 0, 0}}) c.add(ex.call("t_copy", a));
        c.add(ex.call("t_call", new long[] {0}));
        return c;
    }

    static List<CallSpec> simdMemory0Calls() {
        ModuleExports ex = ModuleExports.of(SIMD_MEMORY0_64);
        List<CallSpec> c = new ArrayList<>();
        for (long a : new long[] {0, P - 24, P - 23, -8, -1}) c.add(ex.call("load", new long[] {a}));
        for (long a : new long[] {0, P - 2, P - 1, -1}) c.add(ex.call("store_lane", new long[] {a}));
        for (long a : new long[] {P - 8, P - 7, -4}) c.add(ex.call("splat", new long[] {a}));
        for (long a : new long[] {2 * P - 8, 2 * P - 7, 2 * P - 8}) c.add(ex.call("grow_then_load", new long[] {a}));
        return c;
    }

    static List<CallSpec> simdCalls() {
        ModuleExports ex = ModuleExports.of(SIMD);
        List<CallSpec> c = new ArrayList<>();
        for (long a : new long[] {0, 1, P - 17, P - 16, -1}) c.add(ex.call("v_b", new long[] {a}));
        for (long a : new long[] {P - 16, P - 15, 1L << 32, -16, -1}) c.add(ex.call("v_w", new long[] {a}));
        for (long a : new long[] {0, P - 16, P - 15, -16}) c.add(ex.call("v_w_store", new long[] {a, 0x1122334455667788L}));
        for (long a : new long[] {0, P - 18, P - 17}) c.add(ex.call("v_b_store", new long[] {a, -3}));
        for (long a : new long[] {P - 4, P - 3, -4}) c.add(ex.call("v_lane_w", new long[] {a}));
        for (long a : new long[] {0, P - 1, P}) c.add(ex.call("v_store_lane_b", new long[] {a}));
        for (long a : new long[] {8, P - 8, P - 7}) c.add(ex.call("v_store_lane_w", new long[] {a}));
        for (long a : new long[] {P - 1, P, -1}) c.add(ex.call("v_splat_w", new long[] {a}));
        for (long a : new long[] {0, P - 4, P - 3}) c.add(ex.call("v_zero_b", new long[] {a}));
        for (long a : new long[] {P - 16, P - 8, P - 7}) c.add(ex.call("v_ext_w", new long[] {a}));
        for (long a : new long[] {0, 16, 17, P + 16}) c.add(ex.call("v_far_w", new long[] {a}));
        for (long a : new long[] {0, P - 16, P - 15}) c.add(ex.call("v_a_b", new long[] {a}));
        return c;
    }

    @Test
    void severalAnd64BitMemoriesAndTablesAgreeWithWasmtimeOnEveryTier() {
        check(MEMORIES, memoryCalls());
    }

    /** Every tier where this machine's backend compiles SIMD, else the interpreter alone. */
    @Test
    void simdOnSeveralAnd64BitMemoriesAgreesWithWasmtimeOnEveryTier() {
        boolean nativeSimd = Backends.host() != null && Backends.host().compilesSimd();
        for (byte[] module : List.of(SIMD, SIMD_MEMORY0_64)) {
            List<CallSpec> calls = module == SIMD ? simdCalls() : simdMemory0Calls();
            if (nativeSimd) check(module, calls);
            else check(module, calls, List.of(KilnEngine.interpreter()));
        }
    }

    private static void check(byte[] module, List<CallSpec> calls) {
        List<Engine> tiers = KilnTiers.all();
        assertTrue(tiers.size() > 1 || Backends.host() == null, "the native tiers take part");
        check(module, calls, tiers);
    }

    private static void check(byte[] module, List<CallSpec> calls, List<Engine> tiers) {
        ModuleExports ex = ModuleExports.of(module);
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            if (oracle == null) {
                if (WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
                return;
            }
            for (Engine kiln : tiers) {
                DifferentialCheck check = new DifferentialCheck(List.of(kiln, oracle.engine()));
                assertNull(check.run(module, ex.globals(), ex.memory(), calls), kiln.name());
            }
        }
    }
}
