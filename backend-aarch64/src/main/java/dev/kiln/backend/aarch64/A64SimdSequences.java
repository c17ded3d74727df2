package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.VectorShape.V16B;
import static dev.kiln.backend.aarch64.VectorShape.V2D;
import static dev.kiln.backend.aarch64.VectorShape.V2S;
import static dev.kiln.backend.aarch64.VectorShape.V4H;
import static dev.kiln.backend.aarch64.VectorShape.V4S;
import static dev.kiln.backend.aarch64.VectorShape.V8B;
import static dev.kiln.backend.aarch64.VectorShape.V8H;

/**
 * SIMD operations that take NEON more than one instruction, or one instruction with operands in
 * another shape: ne (eq inverted), bitselect (bsl/bit/bif by which operand the destination is),
 * shifts (an immediate, or a masked count broadcast and negated for right shifts), i64x2.mul,
 * narrowing (two saturating narrows), widening (sxtl/uxtl, smull/umull, the dot products; the
 * relaxed ones with the deterministic profile's signed bytes and saturated i16 sums), pmin/pmax,
 * f64 to i32 with saturation, the low i32 lanes to f64, and relaxed multiply-add rounded twice.
 */
final class A64SimdSequences {
    private A64SimdSequences() {
    }

    /** The lanes of an integer operation: 16B, 8H, 4S or 2D. */
    private static VectorShape shape(Opcode op) {
        return switch (op.mnemonic.substring(0, 5)) {
            case "i8x16" -> V16B;
            case "i16x8" -> V8H;
            case "i32x4", "f32x4" -> V4S;
            default -> V2D;
        };
    }

    /** The shape of half as many lanes of twice the size... the narrower source shape of a widening op producing {@code wide}. */
    private static VectorShape half(VectorShape wide) {
        return switch (wide) {
            case V8H -> V8B;
            case V4S -> V4H;
            default -> V2S;
        };
    }

    private static VectorShape full(VectorShape narrow) {
        return switch (narrow) {
            case V8B -> V16B;
            case V4H -> V8H;
            default -> V4S;
        };
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        String name = i.op.mnemonic.substring(i.op.mnemonic.indexOf('.') + 1);
        switch (i.op) {
            case I8X16_NE, I16X8_NE, I32X4_NE, I64X2_NE, F32X4_NE, F64X2_NE -> {
                VectorShape s = shape(i.op);
                SimdThreeSameOp eq = i.op.mnemonic.startsWith("f") ? SimdThreeSameOp.FCMEQ : SimdThreeSameOp.CMEQ;
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.simd(eq, d.as(s), fn.fget(i.arg(0), FSCRATCH).as(s), fn.fget(i.arg(1), FSCRATCH2).as(s));
                asm.simd(SimdTwoMiscOp.NOT, d.v16b(), d.v16b());
                fn.fput(i.result(), d);
            }
            case V128_BITSELECT, I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                 I64X2_RELAXED_LANESELECT -> bitselect(fn, i);
            case I64X2_MUL -> mul64(fn, i);
            case I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U, I16X8_NARROW_I32X4_S, I16X8_NARROW_I32X4_U -> narrow(fn, i);
            case I32X4_DOT_I16X8_S -> {
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
                asm.simd(SimdWideningOp.SMULL, FSCRATCH3.as(V4S), a.as(V4H), b.as(V4H));
                asm.simd(SimdWideningOp.SMULL, FSCRATCH2.as(V4S), a.as(V8H), b.as(V8H));
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.simd(SimdThreeSameOp.ADDP, d.as(V4S), FSCRATCH3.as(V4S), FSCRATCH2.as(V4S));
                fn.fput(i.result(), d);
            }
            case I16X8_RELAXED_DOT_I8X16_I7X16_S, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> relaxedDot(fn, i);
            case F32X4_PMIN, F64X2_PMIN, F32X4_PMAX, F64X2_PMAX -> pminMax(fn, i);
            case I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_RELAXED_TRUNC_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO,
                 I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> {
                boolean signed = name.contains("_s_");
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.simd(signed ? SimdTwoMiscOp.FCVTZS : SimdTwoMiscOp.FCVTZU, FSCRATCH2.as(V2D), fn.fget(i.arg(0), FSCRATCH).as(V2D));
                asm.simd(signed ? SimdTwoMiscOp.SQXTN : SimdTwoMiscOp.UQXTN, d.as(V2S), FSCRATCH2.as(V2D)); // zeroes lanes 2-3
                fn.fput(i.result(), d);
            }
            case F64X2_CONVERT_LOW_I32X4_S, F64X2_CONVERT_LOW_I32X4_U -> {
                boolean signed = i.op == Opcode.F64X2_CONVERT_LOW_I32X4_S;
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.simd(signed ? SimdShiftOp.SSHLL : SimdShiftOp.USHLL, d.as(V2D), fn.fget(i.arg(0), FSCRATCH).as(V2S), 0);
                asm.simd(signed ? SimdTwoMiscOp.SCVTF : SimdTwoMiscOp.UCVTF, d.as(V2D), d.as(V2D));
                fn.fput(i.result(), d);
            }
            case F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD -> {
                VectorShape s = i.op.mnemonic.startsWith("f32") ? V4S : V2D;
                asm.simd(SimdThreeSameOp.FMUL, FSCRATCH3.as(s), fn.fget(i.arg(0), FSCRATCH).as(s), fn.fget(i.arg(1), FSCRATCH2).as(s));
                VectorRegister c = fn.fget(i.arg(2), FSCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                if (name.equals("relaxed_madd")) asm.simd(SimdThreeSameOp.FADD, d.as(s), FSCRATCH3.as(s), c.as(s));
                else asm.simd(SimdThreeSameOp.FSUB, d.as(s), c.as(s), FSCRATCH3.as(s));
                fn.fput(i.result(), d);
            }
            default -> {
                if (name.equals("shl") || name.equals("shr_s") || name.equals("shr_u")) shift(fn, i, name);
                else if (name.startsWith("extend_")) extend(fn, i, name);
                else if (name.startsWith("extmul_")) extmul(fn, i, name);
                else throw new IllegalStateException("no AArch64 lowering for " + i.op);
            }
        }
    }

    /**
     * bitselect(a, b, c) = (a &amp; c) | (b &amp; ~c), and relaxed_laneselect (the deterministic
     * profile makes it bitselect): bsl when the destination holds c, bit when it holds b, bif when
     * it holds a.
     */
    private static void bitselect(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH).v16b(), b = fn.fget(i.arg(1), FSCRATCH2).v16b();
        VectorRegister c = fn.fget(i.arg(2), FSCRATCH3).v16b();
        VectorRegister d = fn.fdst(i.result(), FSCRATCH3).v16b();
        if (d.number() == b.number() && d.number() != c.number()) {
            asm.simd(SimdThreeSameOp.BIT, d, a, c);
        } else if (d.number() == a.number() && d.number() != c.number()) {
            asm.simd(SimdThreeSameOp.BIF, d, b, c);
        } else {
            if (d.number() != c.number()) asm.movVector(d, c);
            asm.simd(SimdThreeSameOp.BSL, d, a, b);
        }
        fn.fput(i.result(), d);
    }

    /**
     * Shifts with the count taken modulo the lane width: by an immediate (a zero count is a move),
     * or by the count broadcast to every lane (negated for right shifts) through sshl/ushl.
     */
    private static void shift(A64Function fn, Instruction i, String kind) {
        A64Assembler asm = fn.asm;
        VectorShape s = shape(i.op);
        int bits = s.elementBits;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH).as(s);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH).as(s);
        Long constant = fn.constant(i.arg(1));
        if (constant != null) {
            int n = (int) (constant & (bits - 1));
            if (n == 0) {
                if (d.number() != a.number()) asm.movVector(d.q(), a.q());
            } else if (kind.equals("shl")) {
                asm.simd(SimdShiftOp.SHL, d, a, n);
            } else {
                asm.simd(kind.equals("shr_s") ? SimdShiftOp.SSHR : SimdShiftOp.USHR, d, a, n);
            }
        } else {
            GeneralRegister count = fn.iget(i.arg(1), SCRATCH);
            asm.and(SCRATCH.w(), count.w(), bits - 1);
            if (!kind.equals("shl")) asm.neg(SCRATCH, SCRATCH);
            asm.dup(FSCRATCH2.as(s), bits == 64 ? SCRATCH : SCRATCH.w());
            asm.simd(kind.equals("shr_s") ? SimdThreeSameOp.SSHL : SimdThreeSameOp.USHL, d, a, FSCRATCH2.as(s));
        }
        fn.fput(i.result(), d);
    }

    /**
     * i64x2.mul from 32-bit multiplies: the cross products lo(a)*hi(b) and hi(a)*lo(b) (one mul of
     * a by b with its halves swapped, added in pairs), shifted up by 32, plus lo(a)*lo(b) (umlal).
     */
    private static void mul64(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
        VectorRegister t = FSCRATCH3;
        asm.simd(SimdTwoMiscOp.REV64, t.as(V4S), b.as(V4S));
        asm.simd(SimdThreeSameOp.MUL, t.as(V4S), t.as(V4S), a.as(V4S));
        asm.simd(SimdTwoMiscOp.XTN, FSCRATCH.as(V2S), a.as(V2D));   // lo(a) (a's register may be FSCRATCH: read first)
        asm.simd(SimdTwoMiscOp.XTN, FSCRATCH2.as(V2S), b.as(V2D));  // lo(b)
        asm.simd(SimdThreeSameOp.ADDP, t.as(V4S), t.as(V4S), t.as(V4S));
        asm.simd(SimdShiftOp.USHLL, t.as(V2D), t.as(V2S), 0);
        asm.simd(SimdShiftOp.SHL, t.as(V2D), t.as(V2D), 32);
        asm.simd(SimdWideningOp.UMLAL, t.as(V2D), FSCRATCH.as(V2S), FSCRATCH2.as(V2S));
        fn.fput(i.result(), t.q());
    }

    /** narrow: the first operand's lanes saturated into the low half (sqxtn/sqxtun), the second's into the high half (…2). */
    private static void narrow(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        boolean signed = i.op.mnemonic.endsWith("_s");
        VectorShape wide = i.op == Opcode.I8X16_NARROW_I16X8_S || i.op == Opcode.I8X16_NARROW_I16X8_U ? V8H : V4S;
        VectorShape low = wide == V8H ? V8B : V4H;
        SimdTwoMiscOp op = signed ? SimdTwoMiscOp.SQXTN : SimdTwoMiscOp.SQXTUN;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        if (d.number() == b.number() && d.number() != a.number()) d = FSCRATCH3.q(); // the first narrow would overwrite b
        asm.simd(op, d.as(low), a.as(wide));
        asm.simd(op, d.as(full(low)), b.as(wide));
        fn.fput(i.result(), d);
    }

    /** extend_low/high: sxtl/uxtl of the low half, sxtl2/uxtl2 of the high half. */
    private static void extend(A64Function fn, Instruction i, String name) {
        VectorShape wide = shape(i.op);
        boolean high = name.startsWith("extend_high");
        VectorShape from = high ? full(half(wide)) : half(wide);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        fn.asm.simd(name.endsWith("_s") ? SimdShiftOp.SSHLL : SimdShiftOp.USHLL, d.as(wide), fn.fget(i.arg(0), FSCRATCH).as(from), 0);
        fn.fput(i.result(), d);
    }

    /** extmul_low/high: smull/umull of the low halves, smull2/umull2 of the high halves. */
    private static void extmul(A64Function fn, Instruction i, String name) {
        VectorShape wide = shape(i.op);
        VectorShape from = name.startsWith("extmul_high") ? full(half(wide)) : half(wide);
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        fn.asm.simd(name.endsWith("_s") ? SimdWideningOp.SMULL : SimdWideningOp.UMULL, d.as(wide), a.as(from), b.as(from));
        fn.fput(i.result(), d);
    }

    /**
     * The relaxed dot products, deterministic profile: byte products signed (smull, smull2), the
     * even and odd products separated (uzp1, uzp2) and added with i16 saturation (sqadd); the
     * _add form adds pairs of those into i32 (saddlp) and then c.
     */
    private static void relaxedDot(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
        asm.simd(SimdWideningOp.SMULL, FSCRATCH3.as(V8H), a.as(V8B), b.as(V8B));
        asm.simd(SimdWideningOp.SMULL, FSCRATCH2.as(V8H), a.as(V16B), b.as(V16B));
        asm.simd(SimdPermuteOp.UZP1, FSCRATCH.as(V8H), FSCRATCH3.as(V8H), FSCRATCH2.as(V8H));
        asm.simd(SimdPermuteOp.UZP2, FSCRATCH2.as(V8H), FSCRATCH3.as(V8H), FSCRATCH2.as(V8H));
        if (i.op == Opcode.I16X8_RELAXED_DOT_I8X16_I7X16_S) {
            VectorRegister d = fn.fdst(i.result(), FSCRATCH);
            asm.simd(SimdThreeSameOp.SQADD, d.as(V8H), FSCRATCH.as(V8H), FSCRATCH2.as(V8H));
            fn.fput(i.result(), d);
            return;
        }
        asm.simd(SimdThreeSameOp.SQADD, FSCRATCH3.as(V8H), FSCRATCH.as(V8H), FSCRATCH2.as(V8H));
        asm.simd(SimdTwoMiscOp.SADDLP, FSCRATCH3.as(V4S), FSCRATCH3.as(V8H));
        VectorRegister c = fn.fget(i.arg(2), FSCRATCH);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        asm.simd(SimdThreeSameOp.ADD, d.as(V4S), FSCRATCH3.as(V4S), c.as(V4S));
        fn.fput(i.result(), d);
    }

    /** pmin(a, b) = b &lt; a ? b : a, pmax(a, b) = a &lt; b ? b : a: a compare mask, then bsl. */
    private static void pminMax(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorShape s = i.op.mnemonic.startsWith("f32") ? V4S : V2D;
        boolean min = i.op == Opcode.F32X4_PMIN || i.op == Opcode.F64X2_PMIN;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
        VectorRegister m = FSCRATCH3;
        if (min) asm.simd(SimdThreeSameOp.FCMGT, m.as(s), a.as(s), b.as(s)); // b < a
        else asm.simd(SimdThreeSameOp.FCMGT, m.as(s), b.as(s), a.as(s));    // a < b
        asm.simd(SimdThreeSameOp.BSL, m.v16b(), b.v16b(), a.v16b());
        fn.fput(i.result(), m.q());
    }
}
