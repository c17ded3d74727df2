package dev.kiln.tests.wasm3;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code call_ref} through a typed reference to another instance's function, on every tier: the
 * callee runs in its own instance (its memory), and the caller's memory and globals are its own
 * again after the call (native code switches and restores the pinned VMContext and memory base).
 * Null references trap.
 */
class CallRefTest {
    private static final byte[] PROVIDER = Wat3.compile("""
            (module
              (type $t (func (param i32) (result i32)))
              (memory 1)
              (data (i32.const 0) "\\2a")
              (elem declare func $read)
              ;; its own memory's byte at 0 plus the argument
              (func $read (type $t) (i32.add (i32.load8_u (i32.const 0)) (local.get 0)))
              (func (export "get") (result (ref $t)) (ref.func $read))
              (func (export "none") (result (ref null $t)) (ref.null $t)))
            """);

    private static final byte[] CALLER = Wat3.compile("""
            (module
              (type $t (func (param i32) (result i32)))
              (import "p" "get" (func $get (result (ref $t))))
              (import "p" "none" (func $none (result (ref null $t))))
              (memory 1)
              (data (i32.const 0) "\\07")
              (global $g (mut i32) (i32.const 100))
              ;; the callee's result, then this instance's memory and global after the call
              (func (export "cross") (param i32) (result i32)
                (local $r (ref $t))
                (local.set $r (call $get))
                (i32.add (i32.mul (call_ref $t (local.get 0) (local.get $r)) (i32.const 1000))
                  (i32.add (i32.load8_u (i32.const 0)) (global.get $g))))
              (func (export "null") (param i32) (result i32)
                (call_ref $t (local.get 0) (call $none)))
              (func (export "as_non_null") (result i32)
                (call_ref $t (i32.const 1) (ref.as_non_null (call $none)))))
            """);

    private static long[] call(Instance i, String name, long... args) {
        return ((FunctionInstance) i.exports().get(name)).call(args);
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void callRefCrossesInstancesAndNullTraps(Tier tier) {
        TailCallTest.runsHere(tier);
        try (Store store = TailCallTest.store(tier)) {
            Instance p = store.instantiate(WasmModule.of(PROVIDER), new Imports());
            Instance c = store.instantiate(WasmModule.of(CALLER), new Imports().defineInstance("p", p));
            for (int k = 0; k < 3; k++) assertArrayEquals(new long[] {(42 + 5) * 1000 + 7 + 100}, call(c, "cross", 5));
            WasmTrap nullRef = assertThrows(WasmTrap.class, () -> call(c, "null", 1));
            assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, nullRef.kind(), nullRef.getMessage());
            WasmTrap asNonNull = assertThrows(WasmTrap.class, () -> call(c, "as_non_null"));
            assertEquals(TrapKind.NULL_REFERENCE, asNonNull.kind(), asNonNull.getMessage());
        }
    }
}
