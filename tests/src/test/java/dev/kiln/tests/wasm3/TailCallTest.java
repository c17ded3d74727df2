package dev.kiln.tests.wasm3;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tail calls run in constant stack: a mutual recursion of 10^8 steps through return_call,
 * return_call_indirect and return_call_ref would overflow any stack if frames piled up. Runs in the
 * interpreter (the native backends do not lower tail calls yet).
 */
class TailCallTest {
    private static final byte[] EVEN_ODD = Wat3.compile("""
            (module
              (type $t (func (param i64 i64) (result i64)))
              (table 2 funcref)
              (elem (i32.const 0) $even $odd)
              (elem declare func $odd_ref)
              ;; counts steps down to 0, accumulating; alternates direct, indirect and reference tail calls
              (func $even (export "even") (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call $odd (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2))))))
              (func $odd (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1))
                          (i32.wrap_i64 (i64.and (local.get 0) (i64.const 0)))))))
              (func $odd_ref (export "odd_ref") (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (ref.func $odd_ref)))))
              (func (export "many_args") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.add (local.get 1) (local.get 9)))
                  (else (return_call 3 (i32.sub (local.get 0) (i32.const 1)) (local.get 2) (local.get 3) (local.get 4)
                          (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 9) (local.get 1)))))
            )
            """);

    private static long[] call(String name, long... args) {
        try (Store store = new Store()) {
            Instance i = store.instantiate(WasmModule.of(EVEN_ODD), new Imports());
            return ((FunctionInstance) i.exports().get(name)).call(args);
        }
    }

    @Test
    void aHundredMillionMutualTailCallsRunInConstantStack() {
        // even(n) alternates with odd(n): each step adds 2 (even) or 1 (odd)
        long n = 100_000_000L;
        assertArrayEquals(new long[] {n / 2 * 3}, call("even", n, 0));
    }

    @Test
    void tailCallsThroughReferencesAndManyArguments() {
        assertArrayEquals(new long[] {7}, call("odd_ref", 1_000_000, 7));
        // nine arguments rotate left once per step: after 10 steps (2, 3, ..., 9, 1) remain, 2 + 1 is returned
        long[] r = call("many_args", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(1, r.length);
        assertEquals(3, r[0]);
    }
}
