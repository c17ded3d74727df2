package dev.kiln.runtime;

import dev.kiln.frontend.text.WatParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Allocating constant expressions (globals' initialisers) with fields of every width. */
class GcConstantExpressionTest {
    private static WasmModule module(String wat) {
        return WasmModule.of(WatParser.parse(wat, "const-gc.wat").binary());
    }

    @Test
    void v128FieldsAndElementsOfConstantExpressionsKeepBothHalves() {
        try (Store store = new Store()) {
            Instance i = store.instantiate(module("""
                    (module
                      (type $s (struct (field i32) (field v128) (field i64) (field v128)))
                      (type $a (array v128))
                      (global $v v128 (v128.const i64x2 0x1111 0x2222))
                      (global $s (ref $s) (struct.new $s (i32.const 7) (v128.const i64x2 0x0102030405060708 0x1112131415161718)
                                                      (i64.const 9) (global.get $v)))
                      (global $fixed (ref $a) (array.new_fixed $a 2 (v128.const i64x2 1 2) (v128.const i64x2 3 4)))
                      (global $filled (ref $a) (array.new $a (v128.const i64x2 5 6) (i32.const 3)))
                      (func (export "struct") (result i32 i64 i64 i64 i64 i64)
                        (struct.get $s 0 (global.get $s))
                        (i64x2.extract_lane 0 (struct.get $s 1 (global.get $s)))
                        (i64x2.extract_lane 1 (struct.get $s 1 (global.get $s)))
                        (struct.get $s 2 (global.get $s))
                        (i64x2.extract_lane 0 (struct.get $s 3 (global.get $s)))
                        (i64x2.extract_lane 1 (struct.get $s 3 (global.get $s))))
                      (func (export "fixed") (param i32) (result i64 i64)
                        (i64x2.extract_lane 0 (array.get $a (global.get $fixed) (local.get 0)))
                        (i64x2.extract_lane 1 (array.get $a (global.get $fixed) (local.get 0))))
                      (func (export "filled") (param i32) (result i64 i64)
                        (i64x2.extract_lane 0 (array.get $a (global.get $filled) (local.get 0)))
                        (i64x2.extract_lane 1 (array.get $a (global.get $filled) (local.get 0)))))
                    """), new Imports());
            assertArrayEquals(new long[] {7, 0x0102030405060708L, 0x1112131415161718L, 9, 0x1111, 0x2222}, i.function("struct").call());
            assertArrayEquals(new long[] {1, 2}, i.function("fixed").call(0));
            assertArrayEquals(new long[] {3, 4}, i.function("fixed").call(1));
            assertArrayEquals(new long[] {5, 6}, i.function("filled").call(2));
        }
    }
}
