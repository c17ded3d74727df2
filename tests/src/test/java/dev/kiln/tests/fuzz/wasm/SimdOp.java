package dev.kiln.tests.fuzz.wasm;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;

import java.util.ArrayList;
import java.util.List;

/**
 * A SIMD instruction on values (every 0xFD instruction except v128.const and the memory
 * accesses, relaxed SIMD included), as the generator uses it. Names, encodings, types and lane
 * immediates come from kiln's opcode table. {@link #floatLaneBits} says whether the result is a
 * vector of floats an arithmetic NaN may land in (32 or 64; 0 when not), whose lanes
 * {@link Expr.VCanon} makes deterministic.
 */
public record SimdOp(Opcode opcode, List<NumType> operands, NumType result, int floatLaneBits) {
    /** Every SIMD operation on values. */
    public static final List<SimdOp> ALL = all();

    public SimdOp {
        operands = List.copyOf(operands);
    }

    public String wat() {
        return opcode.mnemonic;
    }

    /** Number of lanes a lane immediate addresses (extract/replace_lane), or 0. */
    public int lanes() {
        return opcode.immediate == Immediate.LANE ? opcode.laneCount() : 0;
    }

    public boolean isShuffle() {
        return opcode == Opcode.I8X16_SHUFFLE;
    }

    /**
     * The relaxed instructions whose deterministic-profile result (kiln's choice) differs from
     * what wasmtime gives in its deterministic mode for some inputs: fused multiply-add, and dot
     * products that overflow i16. The oracle runs their deterministic-profile expansion into
     * plain SIMD instead ({@link RelaxedExpansion}).
     */
    public boolean expandedForTheOracle() {
        return switch (opcode) {
            case F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD,
                 I16X8_RELAXED_DOT_I8X16_I7X16_S, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> true;
            default -> false;
        };
    }

    public static SimdOp of(Opcode op) {
        for (SimdOp s : ALL) if (s.opcode == op) return s;
        throw new IllegalArgumentException("not a SIMD operation on values: " + op);
    }

    private static List<SimdOp> all() {
        List<SimdOp> out = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            if (!op.isSimd() || op == Opcode.V128_CONST || op.memoryBytes != 0) continue;
            List<NumType> params = new ArrayList<>();
            for (int i = 0; i < op.paramCount(); i++) params.add(NumType.of(op.param(i)));
            NumType result = NumType.of(op.result(0));
            out.add(new SimdOp(op, params, result, result == NumType.V128 ? floatLaneBits(op) : 0));
        }
        return List.copyOf(out);
    }

    /** 32 or 64 when {@code op} computes float lanes whose NaN bits the spec leaves open. */
    private static int floatLaneBits(Opcode op) {
        String m = op.mnemonic;
        String name = m.substring(m.indexOf('.') + 1);
        if (m.startsWith("f32x4.") || m.startsWith("f64x2.")) {
            // bit operations and exact selections keep their operands' bits; comparisons give masks
            boolean exact = switch (name) {
                case "abs", "neg", "pmin", "pmax", "splat", "replace_lane", "eq", "ne", "lt", "gt", "le", "ge",
                     "convert_i32x4_s", "convert_i32x4_u", "convert_low_i32x4_s", "convert_low_i32x4_u" -> true;
                default -> false;
            };
            return exact ? 0 : m.startsWith("f32x4.") ? 32 : 64;
        }
        return 0;
    }
}
