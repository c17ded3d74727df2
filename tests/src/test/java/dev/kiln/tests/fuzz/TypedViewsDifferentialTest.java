package dev.kiln.tests.fuzz;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.V128;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.wasm.NumType;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.kiln.runtime.ValueType.F32;
import static dev.kiln.runtime.ValueType.F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Java API's typed f32 and v128 views ({@code asFunction(F32, F32)}, {@code asBiFunction},
 * {@code asV128UnaryOperator}/{@code asV128BinaryOperator}) against wasmtime: the same exports, on
 * every kiln tier, called with special and random values (NaNs with payloads, signed zeros,
 * infinities, subnormals). wasmtime's side is reached through scalar wrappers the module also
 * exports (the oracle passes scalars; a v128 travels as two i64 halves). Bit operations (neg,
 * copysign, an f32 passed through) must agree bit for bit, NaN payload included; arithmetic may
 * choose any NaN where wasmtime has a NaN (the spec's nondeterminism).
 */
@Tag("differential")
class TypedViewsDifferentialTest {
    private static final int ROUNDS = 300;

    /** name, Wasm instruction, whether NaN results must be bit-exact. */
    private record Op(String name, String instr, boolean exact) {
    }

    private static final List<Op> F32_BINARY = List.of(new Op("add", "f32.add", false), new Op("div", "f32.div", false),
            new Op("min", "f32.min", false), new Op("copysign", "f32.copysign", true));
    private static final List<Op> F32_UNARY = List.of(new Op("neg", "f32.neg", true), new Op("sqrt", "f32.sqrt", false),
            new Op("id", "", true), new Op("nearest", "f32.nearest", false));
    private static final List<Op> V128_BINARY = List.of(new Op("i32x4_add", "i32x4.add", true), new Op("f32x4_mul", "f32x4.mul", false),
            new Op("i8x16_swizzle", "i8x16.swizzle", true), new Op("i16x8_narrow", "i16x8.narrow_i32x4_s", true),
            new Op("f64x2_max", "f64x2.max", false));
    private static final List<Op> V128_UNARY = List.of(new Op("f64x2_neg", "f64x2.neg", true), new Op("f32x4_sqrt", "f32x4.sqrt", false),
            new Op("i8x16_popcnt", "i8x16.popcnt", true), new Op("v_id", "", true));

    private static String module() {
        StringBuilder w = new StringBuilder("(module\n");
        for (Op o : F32_BINARY) {
            w.append("(func (export \"").append(o.name).append("\") (param f32 f32) (result f32) (").append(o.instr)
                    .append(" (local.get 0) (local.get 1)))\n");
        }
        for (Op o : F32_UNARY) {
            w.append("(func (export \"").append(o.name).append("\") (param f32) (result f32) ")
                    .append(o.instr.isEmpty() ? "(local.get 0)" : "(" + o.instr + " (local.get 0))").append(")\n");
        }
        w.append("(func (export \"demote\") (param f64) (result f32) (f32.demote_f64 (local.get 0)))\n");
        for (Op o : V128_BINARY) {
            w.append("(func $").append(o.name).append(" (export \"").append(o.name).append("\") (param v128 v128) (result v128) (")
                    .append(o.instr).append(" (local.get 0) (local.get 1)))\n");
            for (int lane = 0; lane < 2; lane++) {
                w.append("(func (export \"").append(o.name).append(lane == 0 ? ".lo" : ".hi")
                        .append("\") (param i64 i64 i64 i64) (result i64) (i64x2.extract_lane ").append(lane).append(" (call $").append(o.name)
                        .append(" (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))")
                        .append(" (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (local.get 3)))))\n");
            }
        }
        for (Op o : V128_UNARY) {
            w.append("(func $").append(o.name).append(" (export \"").append(o.name).append("\") (param v128) (result v128) ")
                    .append(o.instr.isEmpty() ? "(local.get 0)" : "(" + o.instr + " (local.get 0))").append(")\n");
            for (int lane = 0; lane < 2; lane++) {
                w.append("(func (export \"").append(o.name).append(lane == 0 ? ".lo" : ".hi")
                        .append("\") (param i64 i64) (result i64) (i64x2.extract_lane ").append(lane).append(" (call $").append(o.name)
                        .append(" (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))))\n");
            }
        }
        return w.append(")\n").toString();
    }

    private static final int[] F32_SPECIAL = {0x7FC0_0000, 0xFFC0_0001, 0x7FA0_1234, 0xFF80_0001, 0x7F80_0000, 0xFF80_0000, 0, 0x8000_0000,
            1, 0x8000_0001, 0x007F_FFFF, 0x3F80_0000, 0xBF80_0000, 0x7F7F_FFFF, 0x3F00_0000, 0x4B00_0001};
    private static final long[] F64_SPECIAL = {0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0001L, 0x7FF4_0000_0000_1234L, 0x7FF0_0000_0000_0000L,
            0x8000_0000_0000_0000L, 0, 1, 0x3FF0_0000_0000_0000L, 0x47EF_FFFF_E000_0000L, 0x47EF_FFFF_F000_0000L, 0x36A0_0000_0000_0000L};

    private static int f32Bits(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> F32_SPECIAL[r.nextInt(F32_SPECIAL.length)];
            case 1 -> Float.floatToRawIntBits((float) r.nextGaussian() * 1000);
            default -> r.nextInt();
        };
    }

    private static long f64Bits(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> F64_SPECIAL[r.nextInt(F64_SPECIAL.length)];
            case 1 -> Double.doubleToRawLongBits(r.nextGaussian() * 1e6);
            default -> r.nextLong();
        };
    }

    /** Lanes mixing f32 and f64 specials with random bits, so every lane interpretation sees edge cases. */
    private static long half(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> (f32Bits(r) & 0xFFFF_FFFFL) | ((long) f32Bits(r) << 32);
            case 1 -> f64Bits(r);
            default -> r.nextLong();
        };
    }

    private static List<Engine> kilnEngines() {
        List<Engine> engines = new ArrayList<>();
        engines.add(Engine.builder().tier(Tier.INTERP).precompiledCode(null).build());
        if (CodeTarget.host().isPresent()) {
            engines.add(Engine.builder().tier(Tier.NATIVE).precompiledCode(null).build());
            engines.add(Engine.builder().tier(Tier.AUTO).hotCalls(5).hotLoops(5).compileInBackground(false).precompiledCode(null).build());
        }
        return engines;
    }

    /** Whether kiln's bits agree with wasmtime's: equal, or (for a non-exact op) both NaN of that width. */
    private static boolean agrees(long kiln, long wasmtime, boolean exact, NumType lane) {
        if (kiln == wasmtime) return true;
        return !exact && lane.isNaN(kiln) && lane.isNaN(wasmtime);
    }

    /** Per-lane comparison of two 64-bit halves of a v128 seen as {@code lane} values. */
    private static boolean halvesAgree(long kiln, long wasmtime, boolean exact, NumType lane) {
        if (lane == NumType.F32) {
            return agrees(kiln & 0xFFFF_FFFFL, wasmtime & 0xFFFF_FFFFL, exact, lane) && agrees(kiln >>> 32, wasmtime >>> 32, exact, lane);
        }
        return agrees(kiln, wasmtime, exact, lane);
    }

    private static NumType laneType(Op o) {
        return o.name.startsWith("f32x4") ? NumType.F32 : o.name.startsWith("f64x2") ? NumType.F64 : NumType.I64;
    }

    private static long wasmtime(dev.kiln.tests.fuzz.engine.Engine oracle, String export, List<NumType> params, NumType result, long... args) {
        Outcome o = oracle.call(export, params, List.of(result), args);
        if (o.results() == null) fail("wasmtime: " + export + ": " + o);
        return o.results().get(0);
    }

    @Test
    void typedF32AndV128ViewsAgreeWithWasmtimeOnEveryTier() {
        byte[] wasm = Wat3.compile(module());
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            if (oracle == null) {
                if (WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
                return;
            }
            dev.kiln.tests.fuzz.engine.Engine wt = oracle.engine();
            assertNull(wt.instantiate(wasm));
            List<NumType> f32x1 = List.of(NumType.F32), f32x2 = List.of(NumType.F32, NumType.F32), f64x1 = List.of(NumType.F64);
            List<NumType> i64x2 = List.of(NumType.I64, NumType.I64), i64x4 = List.of(NumType.I64, NumType.I64, NumType.I64, NumType.I64);
            int checked = 0;
            for (Engine engine : kilnEngines()) {
                String tier = engine.tier().name();
                Random r = new Random(20261207);
                try (Store store = engine.newStore()) {
                    Instance i = store.instantiate(engine.compile(wasm));
                    for (int round = 0; round < ROUNDS; round++) {
                        int a = f32Bits(r), b = f32Bits(r);
                        for (Op o : F32_BINARY) {
                            BiFunction<Float, Float, Float> f = i.function(o.name).asBiFunction(F32, F32, F32);
                            long k = Float.floatToRawIntBits(f.apply(Float.intBitsToFloat(a), Float.intBitsToFloat(b))) & 0xFFFF_FFFFL;
                            long w = wasmtime(wt, o.name, f32x2, NumType.F32, a, b);
                            if (!agrees(k, w, o.exact, NumType.F32)) {
                                fail(tier + " " + o.name + "(0x" + Integer.toHexString(a) + ", 0x" + Integer.toHexString(b) + "): kiln 0x"
                                        + Long.toHexString(k) + ", wasmtime 0x" + Long.toHexString(w));
                            }
                        }
                        for (Op o : F32_UNARY) {
                            Function<Float, Float> f = i.function(o.name).asFunction(F32, F32);
                            long k = Float.floatToRawIntBits(f.apply(Float.intBitsToFloat(a))) & 0xFFFF_FFFFL;
                            long w = wasmtime(wt, o.name, f32x1, NumType.F32, a);
                            if (!agrees(k, w, o.exact, NumType.F32)) {
                                fail(tier + " " + o.name + "(0x" + Integer.toHexString(a) + "): kiln 0x" + Long.toHexString(k) + ", wasmtime 0x" + Long.toHexString(w));
                            }
                        }
                        long d = f64Bits(r);
                        long kd = Float.floatToRawIntBits(i.function("demote").asFunction(F64, F32).apply(Double.longBitsToDouble(d))) & 0xFFFF_FFFFL;
                        long wd = wasmtime(wt, "demote", f64x1, NumType.F32, d);
                        if (!agrees(kd, wd, false, NumType.F32)) {
                            fail(tier + " demote(0x" + Long.toHexString(d) + "): kiln 0x" + Long.toHexString(kd) + ", wasmtime 0x" + Long.toHexString(wd));
                        }
                        V128 x = new V128(half(r), half(r)), y = new V128(half(r), half(r));
                        for (Op o : V128_BINARY) {
                            BinaryOperator<V128> f = i.function(o.name).asV128BinaryOperator();
                            V128 k = f.apply(x, y);
                            long lo = wasmtime(wt, o.name + ".lo", i64x4, NumType.I64, x.low(), x.high(), y.low(), y.high());
                            long hi = wasmtime(wt, o.name + ".hi", i64x4, NumType.I64, x.low(), x.high(), y.low(), y.high());
                            if (!halvesAgree(k.low(), lo, o.exact, laneType(o)) || !halvesAgree(k.high(), hi, o.exact, laneType(o))) {
                                fail(tier + " " + o.name + "(" + x + ", " + y + "): kiln " + k + ", wasmtime " + new V128(lo, hi));
                            }
                        }
                        for (Op o : V128_UNARY) {
                            UnaryOperator<V128> f = i.function(o.name).asV128UnaryOperator();
                            V128 k = f.apply(x);
                            long lo = wasmtime(wt, o.name + ".lo", i64x2, NumType.I64, x.low(), x.high());
                            long hi = wasmtime(wt, o.name + ".hi", i64x2, NumType.I64, x.low(), x.high());
                            if (!halvesAgree(k.low(), lo, o.exact, laneType(o)) || !halvesAgree(k.high(), hi, o.exact, laneType(o))) {
                                fail(tier + " " + o.name + "(" + x + "): kiln " + k + ", wasmtime " + new V128(lo, hi));
                            }
                        }
                        checked++;
                    }
                }
            }
            assertEquals(ROUNDS * kilnEngines().size(), checked);
        }
    }
}
