package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.Engines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A handler in a frame whose callee tail-called into another instance catches what that instance
 * throws (docs/design-changes.md, "Exceptions in native code"): the tail call leaves an
 * instance-return record where the callee's frame was, and the unwinder's frame-pointer walk must
 * pass through it to the handler's frame instead of skipping that frame. Covered: a direct tail
 * call of an import, a tail call through call_indirect, a further tail call inside the other
 * instance (under the record), a callee with stack arguments, a normal return through the record
 * with the caller's locals intact, and a million such catches in constant stack. {@code auto}
 * promotes every function at its first call. {@link TailCallHandlerAarch64Test} runs it on AArch64.
 */
class TailCallHandlerTest {
    private static final byte[] LIB = Wat3.compile("""
            (module
              (tag $e (export "e") (param i32))
              (func $throw_e (export "throw_e") (param i32) (throw $e (local.get 0)))
              ;; a plain tail call inside this instance, made under the caller's record
              (func (export "throw_via") (param i32) (return_call $throw_e (i32.add (local.get 0) (i32.const 100))))
              ;; twelve parameters: some arrive on the stack, between the record and the frame
              (func (export "throw_wide") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32)
                (throw $e (i32.add (local.get 11) (i32.wrap_i64 (local.get 10)))))
              (func (export "id") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
            )
            """);

    private static final byte[] MAIN = Wat3.compile("""
            (module
              (import "lib" "e" (tag $le (param i32)))
              (import "lib" "throw_e" (func $throw_e (param i32)))
              (import "lib" "throw_via" (func $throw_via (param i32)))
              (import "lib" "throw_wide" (func $throw_wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32)))
              (import "lib" "id" (func $id (param i32) (result i32)))
              (type $t (func (param i32)))
              (table 1 funcref)
              (elem (i32.const 0) $throw_e)
              (func $direct (param i32) (return_call $throw_e (local.get 0)))
              (func $via (param i32) (return_call $throw_via (local.get 0)))
              (func $wide (param i32)
                (return_call $throw_wide (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                  (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 1000) (local.get 0)))
              (func $indirect (param i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
              (func $to_id (param i32) (result i32) (return_call $id (local.get 0)))
              ;; $how picks the callee; the handler adds 1 so a caught value differs from a returned one
              (func $catcher (export "catcher") (param $v i32) (param $how i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $le $c)
                    (block $w (block $i (block $v2 (block $d
                      (br_table $d $v2 $i $w (local.get $how)))
                      (call $direct (local.get $v)) (return (i32.const -1)))
                      (call $via (local.get $v)) (return (i32.const -1)))
                      (call $indirect (local.get $v)) (return (i32.const -1)))
                    (call $wide (local.get $v)))
                  (return (i32.const -1)))
                (i32.add (i32.const 1)))
              ;; locals live across a call that returns through the record
              (func (export "returns") (param i32) (result i32)
                (local $a i32) (local $b i32) (local $c i32)
                (local.set $a (i32.add (local.get 0) (i32.const 3)))
                (local.set $b (i32.mul (local.get $a) (i32.const 5)))
                (local.set $c (i32.xor (local.get $b) (i32.const 0x55)))
                (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (call $to_id (local.get 0)))))
              ;; n catches, cycling through the four callees
              (func (export "loop") (param i32) (result i64)
                (local $n i32) (local $sum i64)
                (loop $l
                  (local.set $sum (i64.add (local.get $sum)
                    (i64.extend_i32_u (call $catcher (local.get $n) (i32.and (local.get $n) (i32.const 3))))))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $n) (local.get 0))))
                (local.get $sum))
            )
            """);

    @BeforeEach
    void nativeExceptions() {
        assumeTrue(Backends.host().lowersExceptions(), "this machine's backend lowers exceptions");
    }

    private static Store store(Tier tier) {
        return tier == Tier.AUTO ? Engines.of(Tier.AUTO, 1, 1, false).newStore() : new Store().tier(tier);
    }

    private static long call(Instance i, String name, long... args) {
        return ((FunctionInstance) i.exports().get(name)).call(args)[0];
    }

    /** What catcher(v, how) returns: the thrown value plus one. */
    private static long expected(long v, long how) {
        return switch ((int) how) {
            case 0, 2 -> v + 1;
            case 1 -> v + 100 + 1;
            default -> v + 1000 + 1;
        };
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void handlersAboveATailCallIntoAnotherInstanceCatch(Tier tier) {
        TailCallTest.onSmallStack(() -> {
            try (Store s = store(tier)) {
                Instance lib = s.instantiate(WasmModule.of(LIB), new Imports());
                Imports imports = new Imports();
                for (String name : new String[] {"e", "throw_e", "throw_via", "throw_wide", "id"}) {
                    imports.define("lib", name, lib.exports().get(name));
                }
                WasmModule mainModule = WasmModule.of(MAIN);
                Instance main = s.instantiate(mainModule, imports);
                for (int round = 0; round < 3; round++) { // under auto the first round may start interpreted
                    for (int how = 0; how < 4; how++) {
                        assertEquals(expected(7, how), call(main, "catcher", 7, how), "callee " + how + ", round " + round);
                    }
                    int a = 4 + 3, b = a * 5, c = b ^ 0x55;
                    assertEquals(a + b + c + 8, call(main, "returns", 4));
                }
                if (tier == Tier.AUTO) {
                    TierReport r = TierReport.of(mainModule, s, 100);
                    assertTrue(r.top().stream().anyMatch(h -> h.name().equals("catcher") && h.nativeNow()), r.text());
                }
                // under QEMU fewer: a frame left behind per catch would still exhaust the 256 KiB stack
                long n = Target.host() == Target.AARCH64 ? 20_000 : 1_000_000, sum = 0;
                for (long k = 0; k < n; k++) sum += expected(k, k & 3);
                assertEquals(sum, call(main, "loop", n));
                return null;
            }
        });
    }
}
