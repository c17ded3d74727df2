package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * v128 values through the embedding API: the V128 type, calls, host functions and globals, on
 * every tier (native and auto where the host's backend compiles SIMD; auto with the lowest
 * thresholds, so calls cross between the interpreter and native code).
 */
class V128ValuesTest {
    private Store store;

    private Store store(Tier tier) {
        if (tier != Tier.INTERP) {
            assumeTrue(Backends.host().compilesSimd(), "the host's backend compiles SIMD");
        }
        store = Engine.builder().tier(tier).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build().newStore();
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void lanesRoundTripInWasmLaneOrder() {
        V128 v = V128.ofInts(1, 2, 3, -1);
        assertEquals(new V128(0x0000_0002_0000_0001L, 0xFFFF_FFFF_0000_0003L), v);
        assertArrayEquals(new int[] {1, 2, 3, -1}, v.ints());
        assertArrayEquals(new short[] {1, 0, 2, 0, 3, 0, -1, -1}, v.shorts());
        assertEquals(v, V128.ofBytes(v.bytes()));
        assertEquals(1, v.bytes()[0]);
        assertArrayEquals(new float[] {1.5f, -0f, Float.NaN, 3f}, V128.ofFloats(1.5f, -0f, Float.NaN, 3f).floats());
        assertArrayEquals(new double[] {-2.5, 1e300}, V128.ofDoubles(-2.5, 1e300).doubles());
        assertEquals(v, V128.ofShorts(v.shorts()));
        long[] raw = new long[3];
        v.writeTo(raw, 1);
        assertEquals(v, V128.of(raw, 1));
        assertEquals("v128:010000000200000003000000ffffffff", v.toString());
        assertThrows(IllegalArgumentException.class, () -> V128.ofInts(1, 2, 3));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void argumentsResultsAndHostFunctionsCarryAV128AsTwoSlots(Tier tier) {
        Store store = store(tier);
        AtomicReference<V128> seen = new AtomicReference<>();
        HostFunction mix = new HostFunction("env", "mix", FunctionType.of(List.of(ValueType.I32, ValueType.V128, ValueType.F64),
                List.of(ValueType.V128, ValueType.I64)), (caller, args) -> {
            assertEquals(4, args.length, "i32, v128 (two slots), f64");
            seen.set(V128.of(args, 1));
            long[] out = new long[3];
            V128.ofInts((int) args[0], 0, 0, (int) args[0]).writeTo(out, 0);
            out[2] = args[3];
            return out;
        });
        Instance i = store.instantiate(WasmModule.of(Wat.compile("""
                (module
                  (import "env" "mix" (func $mix (param i32 v128 f64) (result v128 i64)))
                  (func (export "f") (param v128 i32) (result i64 v128 v128)
                    (local $r v128)
                    (call $mix (local.get 1) (local.get 0) (f64.const 2.5))
                    (drop)
                    (local.set $r)
                    (i64.const 7) (i32x4.add (local.get $r) (local.get 0)) (local.get 0)))
                """)), new Imports().define(mix, store));
        long[] out = i.function("f").call(0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L, 10);
        assertEquals(5, out.length, "i64 + two v128s");
        assertEquals(V128.ofInts(1, 2, 3, 4), seen.get());
        assertEquals(7, out[0]);
        assertEquals(V128.ofInts(11, 2, 3, 14), V128.of(out, 1));
        assertEquals(V128.ofInts(1, 2, 3, 4), V128.of(out, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.function("f").call(1, 2));
        assertTrue(e.getMessage().contains("takes 3 raw argument(s)"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aHostFunctionReturningTheWrongNumberOfSlotsTraps(Tier tier) {
        Store store = store(tier);
        HostFunction bad = new HostFunction("env", "v", FunctionType.returning(ValueType.V128),
                (caller, args) -> new long[] {1});
        Instance i = store.instantiate(WasmModule.of(Wat.compile("""
                (module (import "env" "v" (func $v (result v128)))
                  (func (export "f") (result v128) (call $v)))
                """)), new Imports().define(bad, store));
        WasmTrap t = assertThrows(WasmTrap.class, () -> i.function("f").call());
        assertEquals(TrapKind.HOST_ERROR, t.kind());
        assertTrue(t.getCause().getMessage().contains("returned 1 result slots, expected 2"), t.getCause().getMessage());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void v128GlobalsAreReadWrittenAndSharedWithImporters(Tier tier) {
        Store store = store(tier);
        Instance z = store.instantiate(WasmModule.of(Wat.compile("(module (global (export \"k\") v128 (v128.const i64x2 5 -6)))")),
                new Imports());
        Instance a = store.instantiate(WasmModule.of(Wat.compile("""
                (module (import "z" "k" (global $k v128))
                  (global $g (export "g") (mut v128) (v128.const i64x2 5 -6))
                  (global (export "c") v128 (global.get $k))
                  (func (export "get") (result v128) (global.get $g))
                  (func (export "bump") (global.set $g (i64x2.add (global.get $g) (v128.const i64x2 1 1)))))
                """)), new Imports().defineInstance("z", z));
        GlobalInstance g = a.global("g");
        assertEquals(V128.ofLongs(5, -6), g.getV128());
        assertEquals(V128.ofLongs(5, -6), a.global("c").getV128(), "initialised from global.get of a v128");
        g.set(V128.ofLongs(100, 200));
        a.function("bump").call();
        assertEquals(V128.ofLongs(101, 201), V128.of(a.function("get").call(), 0));
        assertArrayEquals(new long[] {101, 201}, g.raw());
        Instance b = store.instantiate(WasmModule.of(Wat.compile("""
                (module (import "a" "g" (global $g (mut v128)))
                  (func (export "set") (param v128) (global.set $g (local.get 0))))
                """)), new Imports().defineInstance("a", a));
        b.function("set").call(-1, 0);
        assertEquals(new V128(-1, 0), g.getV128());
        assertThrows(IllegalStateException.class, g::get);
        assertThrows(IllegalStateException.class, () -> a.global("c").set(V128.ZERO));
    }
}
