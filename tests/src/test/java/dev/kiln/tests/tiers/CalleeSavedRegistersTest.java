package dev.kiln.tests.tiers;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.ApiTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Values that live across a call in the registers kiln's convention keeps (on x86-64 five: RBX,
 * R12, R13 and R9, R10, which the C convention does not keep) survive whatever the callee does on
 * the way: a call into a host function (the adapter to Java), a runtime helper (memory.grow), a call
 * through a table into another instance, callees that call those. Five values are live across each
 * call, so all five callee-saved registers hold one; the native result must be the interpreter's.
 * (Tail calls through the adapter and the launcher: {@code TailCallTest}.)
 */
class CalleeSavedRegistersTest {
    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    /** {@code keep(k, n)}: five values made from k live across a call of each kind, n times. */
    private static final String MODULE = """
            (module
              (import "host" "mix" (func $mix (param i64) (result i64)))
              (import "other" "grow" (func $otherGrow (param i64) (result i64)))
              (type $one (func (param i64) (result i64)))
              (memory 1)
              (table 4 funcref)
              (elem (i32.const 0) $viaHost $viaGrow $otherGrow $viaNested)
              (func $viaHost (param i64) (result i64) (call $mix (local.get 0)))
              (func $viaGrow (param i64) (result i64)
                (drop (memory.grow (i32.const 0))) (i64.add (local.get 0) (i64.const 1)))
              (func $viaNested (param i64) (result i64) (i64.add (call $viaHost (local.get 0)) (call $viaGrow (local.get 0))))
              (func (export "keep") (param $k i64) (param $n i32) (result i64)
                (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $s i64) (local $j i32)
                (loop $l
                  (local.set $a (i64.mul (local.get $k) (i64.const 3)))
                  (local.set $b (i64.mul (local.get $k) (i64.const 5)))
                  (local.set $c (i64.mul (local.get $k) (i64.const 7)))
                  (local.set $d (i64.mul (local.get $k) (i64.const 11)))
                  (local.set $e (i64.mul (local.get $k) (i64.const 13)))
                  (local.set $s (i64.add (local.get $s)
                    (call_indirect (type $one) (local.get $k) (i32.and (local.get $j) (i32.const 3)))))
                  (local.set $s (i64.add (local.get $s) (i64.xor (local.get $a) (i64.rotl (local.get $b) (i64.const 7)))))
                  (local.set $s (i64.add (local.get $s) (i64.xor (local.get $c) (i64.rotl (local.get $d) (i64.const 13)))))
                  (local.set $s (i64.add (local.get $s) (local.get $e)))
                  (local.set $k (i64.add (local.get $k) (i64.const 0x9e3779b97f4a7c15)))
                  (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
                (local.get $s)))
            """;

    /** Another instance whose function grows its memory and returns its argument doubled. */
    private static final String OTHER = """
            (module (memory 1)
              (func (export "grow") (param i64) (result i64)
                (drop (memory.grow (i32.const 0))) (i64.shl (local.get 0) (i64.const 1))))
            """;

    private static long run(Tier tier) {
        try (Store store = new Store().tier(tier)) {
            HostFunction mix = new HostFunction("host", "mix", ApiTypes.functionType(new ValType[] {ValType.I64}, new ValType[] {ValType.I64}),
                    (caller, args) -> new long[] {Long.rotateLeft(args[0], 17) ^ 0x5555});
            Instance other = store.instantiate(WasmModule.of(Wat.compile(OTHER), "other.wasm"), new Imports());
            Imports imports = new Imports();
            imports.define(mix, store);
            imports.define("other", "grow", other.exports().get("grow"));
            Instance main = store.instantiate(WasmModule.of(Wat.compile(MODULE), "keep.wasm"), imports);
            return ((FunctionInstance) main.exports().get("keep")).call(0x1234_5678_9abcL, 400)[0];
        }
    }

    @Test
    void valuesInCalleeSavedRegistersSurviveHostCallsHelpersAndOtherInstances() {
        assertEquals(run(Tier.INTERP), run(Tier.NATIVE));
    }
}
