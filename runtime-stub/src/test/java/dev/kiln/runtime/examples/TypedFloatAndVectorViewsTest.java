package dev.kiln.runtime.examples;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.V128;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.kiln.runtime.ValueType.F32;
import static dev.kiln.runtime.ValueType.I32;
import static dev.kiln.runtime.ValueType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * f32 and v128 through the typed API, from outside the package: views of exports
 * ({@code asFunction}, {@code asBiFunction}, {@code asV128BinaryOperator}...) and typed host
 * functions, on every tier; a view of the wrong type is refused when it is made.
 */
class TypedFloatAndVectorViewsTest {
    private static final ValueType<V128> VEC = ValueType.V128;
    private static final byte[] MODULE = """
            (module
              (import "env" "scale" (func $scale (param f32) (result f32)))
              (import "env" "swap" (func $swap (param v128) (result v128)))
              (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
              (func (export "hyp") (param f32 f32) (result f32)
                (f32.sqrt (f32.add (f32.mul (local.get 0) (local.get 0)) (f32.mul (local.get 1) (local.get 1)))))
              (func (export "nan") (result f32) (f32.const nan:0x200000))
              (func (export "scaled") (param f32) (result f32) (call $scale (local.get 0)))
              (func (export "addx4") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
              (func (export "negf") (param v128) (result v128) (f32x4.neg (local.get 0)))
              (func (export "lane") (param v128 i32) (result i64)
                (i64.extend_i32_s (i32x4.extract_lane 2 (local.get 0))))
              (func (export "swapped") (param v128) (result v128) (call $swap (local.get 0))))
            """.getBytes(StandardCharsets.UTF_8);

    private static Engine engine(Tier tier) {
        if (tier != Tier.INTERP) assumeTrue(CodeTarget.host().isPresent(), "no native backend on " + System.getProperty("os.arch"));
        return Engine.builder().tier(tier).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build();
    }

    private static Imports hostFunctions() {
        HostFunction scale = HostFunction.of("env", "scale", F32, F32, (caller, x) -> x * 3f);
        HostFunction swap = HostFunction.of("env", "swap", VEC, VEC, (caller, v) -> new V128(v.high(), v.low()));
        return new Imports().define(scale).define(swap);
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void floatViewsCarryExactFloats(Tier tier) {
        Engine engine = engine(tier);
        try (Store store = engine.newStore()) {
            Instance i = store.instantiate(engine.compile(MODULE), hostFunctions());
            Function<Float, Float> half = i.function("half").asFunction(F32, F32);
            assertEquals(0.75f, half.apply(1.5f));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(half.apply(-0f)));
            assertEquals(0f, half.apply(Float.MIN_VALUE), "half the smallest subnormal rounds to even: 0");
            BiFunction<Float, Float, Float> hyp = i.function("hyp").asBiFunction(F32, F32, F32);
            assertEquals(5f, hyp.apply(3f, 4f));
            Supplier<Float> nan = i.function("nan").asSupplier(F32);
            assertEquals(0x7FA0_0000, Float.floatToRawIntBits(nan.get()), "the NaN's payload survives the boundary");
            assertEquals(4.5f, i.function("scaled").asFunction(F32, F32).apply(1.5f), "through a typed f32 host function");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void vectorViewsCarryV128Values(Tier tier) {
        Engine engine = engine(tier);
        try (Store store = engine.newStore()) {
            Instance i = store.instantiate(engine.compile(MODULE), hostFunctions());
            BinaryOperator<V128> add = i.function("addx4").asV128BinaryOperator();
            assertEquals(V128.ofInts(11, 22, 33, -1), add.apply(V128.ofInts(1, 2, 3, Integer.MAX_VALUE), V128.ofInts(10, 20, 30, Integer.MIN_VALUE)));
            V128 neg = i.function("negf").asV128UnaryOperator().apply(V128.ofFloats(1.5f, -2f, 0f, Float.NaN));
            assertEquals(-1.5f, neg.floats()[0]);
            assertEquals(2f, neg.floats()[1]);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(neg.floats()[2]));
            assertEquals(0xFFC0_0000, Float.floatToRawIntBits(neg.floats()[3]), "neg flips only the NaN's sign bit");
            BiFunction<V128, Integer, Long> lane = i.function("lane").asBiFunction(VEC, I32, I64);
            assertEquals(-7L, lane.apply(V128.ofInts(0, 0, -7, 0), 0));
            assertEquals(new V128(2, 1), i.function("swapped").asV128UnaryOperator().apply(new V128(1, 2)), "through a typed v128 host function");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aViewOfAnotherTypeIsRefusedWhenItIsMade(Tier tier) {
        Engine engine = engine(tier);
        try (Store store = engine.newStore()) {
            Instance i = store.instantiate(engine.compile(MODULE), hostFunctions());
            FunctionInstance half = i.function("half");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> half.asFunction(VEC, VEC));
            assertTrue(e.getMessage().contains("(param f32) (result f32)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> i.function("addx4").asV128UnaryOperator());
            assertThrows(IllegalArgumentException.class, () -> half.asSupplier(F32));
            // a null where a v128 is expected is refused before the call
            Function<V128, V128> neg = i.function("negf").asFunction(VEC, VEC);
            assertThrows(IllegalArgumentException.class, () -> neg.apply(null));
        }
    }
}
