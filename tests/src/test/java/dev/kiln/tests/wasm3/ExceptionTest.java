package dev.kiln.tests.wasm3;

import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.Engine;
import dev.kiln.tests.api.Engines;
import dev.kiln.frontend.ValType;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.TagInstance;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmException;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exception handling executes: throw, throw_ref, try_table with each catch clause, the legacy
 * try/catch/catch_all/delegate/rethrow, across interpreter frames, through host functions both
 * ways, through native frames on {@code auto}, caught in native code ({@code NativeExceptionTest} has more), and out to Java as a {@link WasmException}. Traps
 * stay uncatchable.
 */
class ExceptionTest {
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (import "host" "tag" (tag $h (param i32)))
              (import "host" "throw" (func $host_throw (param i32)))
              (import "host" "call_back" (func $host_call_back (param i32)))
              (import "host" "call_back_and_catch" (func $host_call_back_and_catch (param i32)))
              (tag $e (export "e") (param i32 i64))
              (tag $f (param f64))
              (func $thrower (export "thrower") (param i32)
                (throw $e (local.get 0) (i64.extend_i32_u (local.get 0))))
              ;; three frames deep, no handlers in between
              (func $deep (param i32) (if (i32.eqz (local.get 0)) (then (call $thrower (i32.const 7)))
                                        (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
              (func (export "catch_payload") (param i32) (result i64)
                (local $x i32) (local $a i32) (local $b i64)
                (local.set $x (i32.const 100))
                (block $c (result i32 i64)
                  (try_table (catch $e $c)
                    (local.set $x (i32.const 200))
                    (call $deep (local.get 0)))
                  (return (i64.const -1)))
                ;; payload (7, 7) plus the local set before the throw
                (local.set $b) (local.set $a)
                (i64.add (local.get $b) (i64.extend_i32_u (i32.add (local.get $a) (local.get $x)))))
              (func (export "clauses") (param i32) (result i32)
                ;; 0: throws $e, caught by catch $e (1); 1: throws $f, by catch_all (2); 2: nothing (3)
                (block $all
                  (block $ce (result i32 i64)
                    (try_table (catch $e $ce) (catch_all $all)
                      (if (i32.eq (local.get 0) (i32.const 0)) (then (call $thrower (i32.const 1))))
                      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $f (f64.const 1.5)))))
                    (return (i32.const 3)))
                  (drop) (drop)
                  (return (i32.const 1)))
                (i32.const 2))
              (func (export "rethrow_ref") (param i32) (result i32)
                ;; catch_ref then throw_ref: the outer handler sees the same payload
                (block $outer (result i32 i64)
                  (try_table (catch $e $outer)
                    (block $inner (result exnref)
                      (try_table (catch_all_ref $inner) (call $thrower (local.get 0)))
                      (return (i32.const -1)))
                    (throw_ref))
                  (return (i32.const -2)))
                (drop))
              (func (export "null_throw_ref") (throw_ref (ref.null exn)))
              (func (export "legacy") (param i32) (result i32)
                (local $r i32)
                (try $outer
                  (do
                    (try
                      (do (call $thrower (local.get 0)))
                      (catch $f (local.set $r (i32.const -1)) (drop))
                      (catch_all (local.set $r (i32.const 10)) (rethrow 0))))
                  (catch $e (drop) (local.set $r (i32.add (local.get $r)))))
                (local.get $r))
              (func (export "delegate") (param i32) (result i32)
                (try (result i32)
                  (do
                    (try (result i32)
                      (do (call $thrower (local.get 0)) (i32.const -1))
                      (delegate 0)))
                  (catch $e (drop))))
              (func (export "from_host") (param i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $h $c) (call $host_throw (local.get 0)))
                  (i32.const -1)))
              (func (export "through_host") (param i32) (result i32)
                (block $c (result i32 i64)
                  (try_table (catch $e $c) (call $host_call_back (local.get 0)))
                  (return (i32.const -1)))
                (drop))
              ;; the host catches what thrower throws and returns normally: this code goes on
              (func (export "after_host_caught") (param i32) (result i32)
                (call $host_call_back_and_catch (local.get 0))
                (i32.add (local.get 0) (i32.const 1)))
              (func (export "trap_not_caught") (result i32)
                (block $c (try_table (catch_all $c) (unreachable)))
                (i32.const 1))
            )
            """);

    private record Setup(Store store, Instance instance, TagInstance hostTag) {
    }

    private static Setup instantiate(Store store) {
        TagInstance hostTag = store.newTag(ValueType.I32);
        AtomicReference<Instance> self = new AtomicReference<>();
        Imports imports = new Imports().define("host", "tag", hostTag);
        FunctionType i32ToNothing = FunctionType.returning(null, ValueType.I32);
        imports.define(new HostFunction("host", "throw", i32ToNothing, (caller, args) -> {
            throw new WasmException(hostTag, args[0] * 2);
        }), store);
        imports.define(new HostFunction("host", "call_back", i32ToNothing, (caller, args) -> {
            ((FunctionInstance) self.get().exports().get("thrower")).call(args[0]); // throws; not caught here
            return null;
        }), store);
        imports.define(new HostFunction("host", "call_back_and_catch", i32ToNothing, (caller, args) -> {
            // a native thrower's exception leaves its native frames to this Java code, which takes it
            WasmException e = assertThrows(WasmException.class, () -> ((FunctionInstance) self.get().exports().get("thrower")).call(args[0]));
            assertArrayEquals(new long[] {args[0], args[0]}, e.payload());
            return null;
        }), store);
        Instance i = store.instantiate(WasmModule.of(MODULE), imports);
        self.set(i);
        return new Setup(store, i, hostTag);
    }

    private static long call(Setup s, String name, long... args) {
        long[] r = ((FunctionInstance) s.instance.exports().get(name)).call(args);
        return r.length == 0 ? Long.MIN_VALUE : r[0];
    }

    private static void checkAll(Store store) {
        Setup s = instantiate(store);
        assertEquals(7 + 7 + 200, call(s, "catch_payload", 5));
        assertEquals(7 + 7 + 200, call(s, "catch_payload", 0));
        assertEquals(1, call(s, "clauses", 0));
        assertEquals(2, call(s, "clauses", 1));
        assertEquals(3, call(s, "clauses", 2));
        assertEquals(42, call(s, "rethrow_ref", 42));
        assertEquals(TrapKind.NULL_EXCEPTION_REFERENCE, assertThrows(WasmTrap.class, () -> call(s, "null_throw_ref")).kind());
        assertEquals(15, call(s, "legacy", 5));
        assertEquals(9, call(s, "delegate", 9));
        assertEquals(22, call(s, "from_host", 11));
        assertEquals(13, call(s, "through_host", 13));
        // found by the differential fuzzer: native code that called out, when the exception it did not see was caught,
        // unwound as if it were still in flight (the trap code stayed in the execution state)
        for (int k = 0; k < 3; k++) assertEquals(5, call(s, "after_host_caught", 4));
        assertEquals(TrapKind.UNREACHABLE, assertThrows(WasmTrap.class, () -> call(s, "trap_not_caught")).kind());
        // uncaught: a Java exception with the tag and payload
        WasmException e = assertThrows(WasmException.class, () -> call(s, "thrower", 3));
        assertSame(s.instance.exports().get("e"), e.tag());
        assertArrayEquals(new long[] {3, 3}, e.payload());
    }

    @Test
    void interpreter() {
        try (Store store = new Store().tier(Tier.INTERP)) {
            checkAll(store);
        }
    }

    /** Every function compiled before it runs, those with handlers too (where the backend lowers exceptions). */
    @Test
    void nativeCode() {
        assumeTrue(Backends.host().lowersExceptions(), "this machine's backend lowers exceptions");
        try (Store store = new Store().tier(Tier.NATIVE)) {
            checkAll(store);
        }
    }

    /** Every function is compiled at its first call: those without exception instructions run native, in between. */
    @Test
    void autoWithNativeFramesBetweenThrowAndCatch() {
        try (Store store = Engines.of(Tier.AUTO, 1, 1, false).newStore()) {
            checkAll(store);
        }
    }
}
