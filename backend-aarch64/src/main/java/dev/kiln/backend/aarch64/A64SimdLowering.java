package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;

import java.util.EnumMap;
import java.util.Map;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.VectorShape.V16B;
import static dev.kiln.backend.aarch64.VectorShape.V2D;
import static dev.kiln.backend.aarch64.VectorShape.V4S;
import static dev.kiln.backend.aarch64.VectorShape.V8H;

/**
 * The SIMD instructions (v128, and relaxed SIMD with the deterministic profile's results) on
 * Advanced SIMD (NEON). Most are one instruction, from two tables ({@link #SAME} for the
 * three-register ones, {@link #MISC} for the two-register ones); NEON's float min/max, saturating
 * conversions and Q15 multiply already have Wasm's semantics. The rest are sequences in
 * {@link A64SimdSequences}, {@link A64SimdLanes} and {@link A64SimdMemory}, over the vector
 * scratch registers V29-V31 and the general scratch registers X15-X17.
 */
final class A64SimdLowering {
    /** A three-register instruction on {@code shape}, its operands in the Wasm order or {@code swap}ped. */
    record Same(SimdThreeSameOp op, VectorShape shape, boolean swap) {
    }

    /** A two-register instruction from {@code from} lanes to {@code to} lanes. */
    record Misc(SimdTwoMiscOp op, VectorShape to, VectorShape from) {
    }

    static final Map<Opcode, Same> SAME = new EnumMap<>(Opcode.class);
    static final Map<Opcode, Misc> MISC = new EnumMap<>(Opcode.class);

    private static void same(Opcode o, SimdThreeSameOp op, VectorShape s) {
        SAME.put(o, new Same(op, s, false));
    }

    private static void swapped(Opcode o, SimdThreeSameOp op, VectorShape s) {
        SAME.put(o, new Same(op, s, true));
    }

    private static void misc(Opcode o, SimdTwoMiscOp op, VectorShape s) {
        MISC.put(o, new Misc(op, s, s));
    }

    static {
        String[] names = {"I8X16", "I16X8", "I32X4", "I64X2"};
        VectorShape[] shapes = {V16B, V8H, V4S, V2D};
        for (int k = 0; k < 4; k++) {
            String n = names[k];
            VectorShape s = shapes[k];
            same(Opcode.valueOf(n + "_ADD"), SimdThreeSameOp.ADD, s);
            same(Opcode.valueOf(n + "_SUB"), SimdThreeSameOp.SUB, s);
            same(Opcode.valueOf(n + "_EQ"), SimdThreeSameOp.CMEQ, s);
            same(Opcode.valueOf(n + "_GT_S"), SimdThreeSameOp.CMGT, s);
            swapped(Opcode.valueOf(n + "_LT_S"), SimdThreeSameOp.CMGT, s);
            same(Opcode.valueOf(n + "_GE_S"), SimdThreeSameOp.CMGE, s);
            swapped(Opcode.valueOf(n + "_LE_S"), SimdThreeSameOp.CMGE, s);
            misc(Opcode.valueOf(n + "_ABS"), SimdTwoMiscOp.ABS, s);
            misc(Opcode.valueOf(n + "_NEG"), SimdTwoMiscOp.NEG, s);
            if (k == 3) continue;
            same(Opcode.valueOf(n + "_GT_U"), SimdThreeSameOp.CMHI, s);
            swapped(Opcode.valueOf(n + "_LT_U"), SimdThreeSameOp.CMHI, s);
            same(Opcode.valueOf(n + "_GE_U"), SimdThreeSameOp.CMHS, s);
            swapped(Opcode.valueOf(n + "_LE_U"), SimdThreeSameOp.CMHS, s);
            same(Opcode.valueOf(n + "_MIN_S"), SimdThreeSameOp.SMIN, s);
            same(Opcode.valueOf(n + "_MIN_U"), SimdThreeSameOp.UMIN, s);
            same(Opcode.valueOf(n + "_MAX_S"), SimdThreeSameOp.SMAX, s);
            same(Opcode.valueOf(n + "_MAX_U"), SimdThreeSameOp.UMAX, s);
            if (k == 2) continue;
            same(Opcode.valueOf(n + "_ADD_SAT_S"), SimdThreeSameOp.SQADD, s);
            same(Opcode.valueOf(n + "_ADD_SAT_U"), SimdThreeSameOp.UQADD, s);
            same(Opcode.valueOf(n + "_SUB_SAT_S"), SimdThreeSameOp.SQSUB, s);
            same(Opcode.valueOf(n + "_SUB_SAT_U"), SimdThreeSameOp.UQSUB, s);
            same(Opcode.valueOf(n + "_AVGR_U"), SimdThreeSameOp.URHADD, s);
        }
        same(Opcode.I16X8_MUL, SimdThreeSameOp.MUL, V8H);
        same(Opcode.I32X4_MUL, SimdThreeSameOp.MUL, V4S);
        // (a * b + 2^14) >> 15 saturated is sqrdmulh's (2 * a * b + 2^15) >> 16, 0x8000 * 0x8000 included
        same(Opcode.I16X8_Q15MULR_SAT_S, SimdThreeSameOp.SQRDMULH, V8H);
        same(Opcode.I16X8_RELAXED_Q15MULR_S, SimdThreeSameOp.SQRDMULH, V8H);
        same(Opcode.V128_AND, SimdThreeSameOp.AND, V16B);
        same(Opcode.V128_OR, SimdThreeSameOp.ORR, V16B);
        same(Opcode.V128_XOR, SimdThreeSameOp.EOR, V16B);
        same(Opcode.V128_ANDNOT, SimdThreeSameOp.BIC, V16B);
        misc(Opcode.V128_NOT, SimdTwoMiscOp.NOT, V16B);
        misc(Opcode.I8X16_POPCNT, SimdTwoMiscOp.CNT, V16B);

        for (VectorShape s : new VectorShape[] {V4S, V2D}) {
            String n = s == V4S ? "F32X4" : "F64X2";
            same(Opcode.valueOf(n + "_ADD"), SimdThreeSameOp.FADD, s);
            same(Opcode.valueOf(n + "_SUB"), SimdThreeSameOp.FSUB, s);
            same(Opcode.valueOf(n + "_MUL"), SimdThreeSameOp.FMUL, s);
            same(Opcode.valueOf(n + "_DIV"), SimdThreeSameOp.FDIV, s);
            // fmin/fmax: NaN for a NaN operand, -0 below +0: Wasm's min/max (and the deterministic relaxed ones)
            same(Opcode.valueOf(n + "_MIN"), SimdThreeSameOp.FMIN, s);
            same(Opcode.valueOf(n + "_MAX"), SimdThreeSameOp.FMAX, s);
            same(Opcode.valueOf(n + "_RELAXED_MIN"), SimdThreeSameOp.FMIN, s);
            same(Opcode.valueOf(n + "_RELAXED_MAX"), SimdThreeSameOp.FMAX, s);
            same(Opcode.valueOf(n + "_EQ"), SimdThreeSameOp.FCMEQ, s);
            same(Opcode.valueOf(n + "_GT"), SimdThreeSameOp.FCMGT, s);
            swapped(Opcode.valueOf(n + "_LT"), SimdThreeSameOp.FCMGT, s);
            same(Opcode.valueOf(n + "_GE"), SimdThreeSameOp.FCMGE, s);
            swapped(Opcode.valueOf(n + "_LE"), SimdThreeSameOp.FCMGE, s);
            misc(Opcode.valueOf(n + "_ABS"), SimdTwoMiscOp.FABS, s);
            misc(Opcode.valueOf(n + "_NEG"), SimdTwoMiscOp.FNEG, s);
            misc(Opcode.valueOf(n + "_SQRT"), SimdTwoMiscOp.FSQRT, s);
            misc(Opcode.valueOf(n + "_CEIL"), SimdTwoMiscOp.FRINTP, s);
            misc(Opcode.valueOf(n + "_FLOOR"), SimdTwoMiscOp.FRINTM, s);
            misc(Opcode.valueOf(n + "_TRUNC"), SimdTwoMiscOp.FRINTZ, s);
            misc(Opcode.valueOf(n + "_NEAREST"), SimdTwoMiscOp.FRINTN, s);
        }
        // fcvtzs/fcvtzu saturate and give 0 for NaN: trunc_sat (and the deterministic relaxed_trunc)
        misc(Opcode.I32X4_TRUNC_SAT_F32X4_S, SimdTwoMiscOp.FCVTZS, V4S);
        misc(Opcode.I32X4_TRUNC_SAT_F32X4_U, SimdTwoMiscOp.FCVTZU, V4S);
        misc(Opcode.I32X4_RELAXED_TRUNC_F32X4_S, SimdTwoMiscOp.FCVTZS, V4S);
        misc(Opcode.I32X4_RELAXED_TRUNC_F32X4_U, SimdTwoMiscOp.FCVTZU, V4S);
        misc(Opcode.F32X4_CONVERT_I32X4_S, SimdTwoMiscOp.SCVTF, V4S);
        misc(Opcode.F32X4_CONVERT_I32X4_U, SimdTwoMiscOp.UCVTF, V4S);
        MISC.put(Opcode.F64X2_PROMOTE_LOW_F32X4, new Misc(SimdTwoMiscOp.FCVTL, V2D, VectorShape.V2S));
        MISC.put(Opcode.F32X4_DEMOTE_F64X2_ZERO, new Misc(SimdTwoMiscOp.FCVTN, VectorShape.V2S, V2D)); // zeroes the upper half
        MISC.put(Opcode.I16X8_EXTADD_PAIRWISE_I8X16_S, new Misc(SimdTwoMiscOp.SADDLP, V8H, V16B));
        MISC.put(Opcode.I16X8_EXTADD_PAIRWISE_I8X16_U, new Misc(SimdTwoMiscOp.UADDLP, V8H, V16B));
        MISC.put(Opcode.I32X4_EXTADD_PAIRWISE_I16X8_S, new Misc(SimdTwoMiscOp.SADDLP, V4S, V8H));
        MISC.put(Opcode.I32X4_EXTADD_PAIRWISE_I16X8_U, new Misc(SimdTwoMiscOp.UADDLP, V4S, V8H));
    }

    private A64SimdLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        Same s = SAME.get(i.op);
        if (s != null) {
            VectorRegister a = fn.fget(i.arg(s.swap ? 1 : 0), FSCRATCH), b = fn.fget(i.arg(s.swap ? 0 : 1), FSCRATCH2);
            VectorRegister d = fn.fdst(i.result(), FSCRATCH);
            fn.asm.simd(s.op, d.as(s.shape), a.as(s.shape), b.as(s.shape));
            fn.fput(i.result(), d);
            return;
        }
        Misc m = MISC.get(i.op);
        if (m != null) {
            VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
            VectorRegister d = fn.fdst(i.result(), FSCRATCH);
            fn.asm.simd(m.op, d.as(m.to), a.as(m.from));
            fn.fput(i.result(), d);
            return;
        }
        if (Effects.addressesMemory(i.op)) A64SimdMemory.lower(fn, i);
        else if (A64SimdLanes.handles(i.op)) A64SimdLanes.lower(fn, i);
        else A64SimdSequences.lower(fn, i);
    }
}
