package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.X64Vectors.T1;
import static dev.kiln.backend.x64.X64Vectors.T2;
import static dev.kiln.backend.x64.X64Vectors.T3;

/**
 * Packed integer and bitwise operations that are sequences: comparisons SSE has no instruction
 * for, shifts (by a constant: one instruction with an immediate; by a value: the count masked to
 * the lane width), byte shifts (x86 has none), popcnt (a nibble table through pshufb), i64 multiply
 * and abs, negation, not and bitselect, widening multiplies and adds, the Q15 multiply and the
 * relaxed dot products (deterministic profile: signed bytes, i16 sums saturated).
 */
final class X64SimdIntegers {
    private static final VecOp[] EQ = {VecOp.PCMPEQB, VecOp.PCMPEQW, VecOp.PCMPEQD, VecOp.PCMPEQQ};
    private static final VecOp[] GT = {VecOp.PCMPGTB, VecOp.PCMPGTW, VecOp.PCMPGTD, VecOp.PCMPGTQ};
    private static final VecOp[] MAX_S = {VecOp.PMAXSB, VecOp.PMAXSW, VecOp.PMAXSD};
    private static final VecOp[] MAX_U = {VecOp.PMAXUB, VecOp.PMAXUW, VecOp.PMAXUD};
    private static final VecOp[] SUB = {VecOp.PSUBB, VecOp.PSUBW, VecOp.PSUBD, VecOp.PSUBQ};
    /** Shifts by an XMM count (index: lane size 16, 32, 64) and by an immediate. */
    private static final VecOp[] SHL = {VecOp.PSLLW, VecOp.PSLLD, VecOp.PSLLQ};
    private static final VecOp[] SHR_U = {VecOp.PSRLW, VecOp.PSRLD, VecOp.PSRLQ};
    private static final VecOp[] SHL_IMM = {VecOp.PSLLW_IMM, VecOp.PSLLD_IMM, VecOp.PSLLQ_IMM};
    private static final VecOp[] SHR_U_IMM = {VecOp.PSRLW_IMM, VecOp.PSRLD_IMM, VecOp.PSRLQ_IMM};
    private static final VecOp[] SHR_S = {VecOp.PSRAW, VecOp.PSRAD};
    private static final VecOp[] SHR_S_IMM = {VecOp.PSRAW_IMM, VecOp.PSRAD_IMM};

    private X64SimdIntegers() {
    }

    /** log2 of the lane size in bytes of an operation on integer lanes (i8x16 0 ... i64x2 3). */
    private static int size(Opcode op) {
        return switch (op.mnemonic.substring(0, 5)) {
            case "i8x16" -> 0;
            case "i16x8" -> 1;
            case "i32x4" -> 2;
            default -> 3;
        };
    }

    private static String name(Opcode op) {
        return op.mnemonic.substring(op.mnemonic.indexOf('.') + 1);
    }

    static void lower(X64Vectors v, Instruction i) {
        String name = name(i.op);
        switch (i.op) {
            case V128_NOT -> not(v, i);
            case V128_BITSELECT, I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                 I64X2_RELAXED_LANESELECT -> bitselect(v, i);
            case I8X16_POPCNT -> popcnt(v, i);
            case I64X2_ABS -> abs64(v, i);
            case I64X2_MUL -> mul64(v, i);
            case I16X8_Q15MULR_SAT_S, I16X8_RELAXED_Q15MULR_S -> q15(v, i);
            case I16X8_RELAXED_DOT_I8X16_I7X16_S, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> relaxedDot(v, i);
            case I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U, I32X4_EXTADD_PAIRWISE_I16X8_S,
                 I32X4_EXTADD_PAIRWISE_I16X8_U -> extaddPairwise(v, i);
            default -> {
                if (name.equals("neg")) neg(v, i);
                else if (name.equals("shl") || name.equals("shr_s") || name.equals("shr_u")) shift(v, i, name);
                else if (name.startsWith("extend_high")) extendHigh(v, i);
                else if (name.startsWith("extmul")) extmul(v, i);
                else compare(v, i, name);
            }
        }
    }

    // ---- bitwise

    private static void not(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        v.ones(T1);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PXOR, d, fn.vop(i.arg(0)), T1);
        fn.fput(i.result(), d);
    }

    /** bitselect(a, b, c) = ((a ^ b) &amp; c) ^ b; relaxed_laneselect is bitselect (the deterministic profile). */
    private static void bitselect(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1)), c = fn.vop(i.arg(2));
        v.op(VecOp.PXOR, T1, a, b);
        v.op(VecOp.PAND, T1, T1, c);
        Xmm d = fn.fdst(i.result(), T1);
        if (b == d) v.op(VecOp.PXOR, d, b, T1);
        else v.op(VecOp.PXOR, d, T1, b);
        fn.fput(i.result(), d);
    }

    // ---- comparisons without an instruction of their own

    /**
     * ne is eq inverted; signed and unsigned ge/le are max and eq ({@code a >= b} exactly when
     * {@code max(a, b) == a}); lt_u and gt_u are ge_u and le_u inverted; i64x2 ge_s/le_s are
     * gt_s inverted (there is no 64-bit max).
     */
    private static void compare(X64Vectors v, Instruction i, String kind) {
        X64Function fn = v.fn;
        int size = size(i.op);
        int a = i.arg(0), b = i.arg(1);
        boolean invert = kind.equals("ne") || kind.equals("lt_u") || kind.equals("gt_u") || size == 3 && !kind.equals("ne");
        if (kind.equals("ne")) {
            v.op(EQ[size], T1, fn.vop(a), fn.vop(b));
        } else if (size == 3) { // ge_s = !(b > a), le_s = !(a > b)
            boolean ge = kind.equals("ge_s");
            v.op(VecOp.PCMPGTQ, T1, fn.vop(ge ? b : a), fn.vop(ge ? a : b));
        } else {
            VecOp max = (kind.endsWith("_s") ? MAX_S : MAX_U)[size];
            // ge(a, b) = max(a, b) == a; le(a, b) = max(a, b) == b; lt_u = !ge_u; gt_u = !le_u
            int same = kind.startsWith("ge") || kind.equals("lt_u") ? a : b;
            v.op(max, T1, fn.vop(a), fn.vop(b));
            if (!invert) {
                Xmm d = fn.fdst(i.result(), T1);
                XmmOrMemory s = fn.vop(same);
                if (s == d) v.op(EQ[size], d, s, T1);
                else v.op(EQ[size], d, T1, s);
                fn.fput(i.result(), d);
                return;
            }
            v.op(EQ[size], T1, T1, fn.vop(same));
        }
        v.ones(T2);
        Xmm d = fn.fdst(i.result(), T1);
        v.op(VecOp.PXOR, d, T1, T2);
        fn.fput(i.result(), d);
    }

    // ---- shifts

    /**
     * Lane shifts, the count taken modulo the lane width. 16/32/64-bit lanes are one instruction
     * (immediate count, or the count in an XMM register); i64x2.shr_s is a logical shift with the
     * sign bias applied ({@code (x >>> n ^ m) - m}, {@code m = 2^63 >>> n}); byte lanes shift as
     * words and mask the bits that crossed between bytes (left, logical right), or are widened to
     * words, shifted arithmetically and packed again (arithmetic right).
     */
    private static void shift(X64Vectors v, Instruction i, String kind) {
        X64Function fn = v.fn;
        X64Assembler asm = v.asm;
        int size = size(i.op), bits = 8 << size;
        XmmOrMemory a = fn.vop(i.arg(0));
        Long constant = fn.constant(i.arg(1));
        int r = i.result();
        if (constant != null) {
            int n = (int) (constant & (bits - 1));
            Xmm d = fn.fdst(r, T1);
            if (n == 0) {
                v.mov(d, a);
            } else if (bits == 8 && kind.equals("shr_s")) {
                shiftBytesArithmetic(v, i, a, null, n);
                return;
            } else if (bits == 8) {
                boolean left = kind.equals("shl");
                v.shift(left ? VecOp.PSLLW_IMM : VecOp.PSRLW_IMM, d, a, n);
                v.op(VecOp.PAND, d, d, v.splat(8, left ? 0xFF << n : 0xFF >>> n));
            } else if (bits == 64 && kind.equals("shr_s")) {
                MemoryOperand m = v.splat(64, Long.MIN_VALUE >>> n);
                v.shift(VecOp.PSRLQ_IMM, d, a, n);
                v.op(VecOp.PXOR, d, d, m);
                v.op(VecOp.PSUBQ, d, d, m);
            } else {
                VecOp op = switch (kind) {
                    case "shl" -> SHL_IMM[size - 1];
                    case "shr_u" -> SHR_U_IMM[size - 1];
                    default -> SHR_S_IMM[size - 1];
                };
                v.shift(op, d, a, n);
            }
            fn.fput(r, d);
            return;
        }
        asm.mov(Width.DWORD, Gpr.RCX, fn.iop(i.arg(1)));
        asm.alu(AluOp.AND, Width.DWORD, Gpr.RCX, bits - 1);
        if (bits == 8 && kind.equals("shr_s")) {
            asm.alu(AluOp.ADD, Width.DWORD, Gpr.RCX, 8);
            asm.movd(T3, Gpr.RCX);
            shiftBytesArithmetic(v, i, a, T3, 0);
            return;
        }
        asm.movd(T3, Gpr.RCX);
        if (bits == 64 && kind.equals("shr_s")) {
            v.mov(T2, v.splat(64, Long.MIN_VALUE));
            v.op(VecOp.PSRLQ, T2, T2, T3);
            Xmm d = fn.fdst(r, T1);
            v.op(VecOp.PSRLQ, d, a, T3);
            v.op(VecOp.PXOR, d, d, T2);
            v.op(VecOp.PSUBQ, d, d, T2);
            fn.fput(r, d);
            return;
        }
        Xmm d = fn.fdst(r, T1);
        if (bits == 8) {
            boolean left = kind.equals("shl");
            v.op(left ? VecOp.PSLLW : VecOp.PSRLW, d, a, T3);
            // the mask for count n is entry n of a table of eight 16-byte masks
            long[] table = new long[16];
            for (int n = 0; n < 8; n++) {
                long lane = (left ? 0xFF << n : 0xFF >>> n) & 0xFF;
                long word = lane * 0x0101_0101_0101_0101L;
                table[2 * n] = word;
                table[2 * n + 1] = word;
            }
            asm.lea(Width.QWORD, Gpr.RAX, rip(asm.constantTable(table)));
            asm.shift(ShiftOp.SHL, Width.DWORD, Gpr.RCX, 4);
            v.op(VecOp.PAND, d, d, mem(Gpr.RAX, Gpr.RCX, 1, 0));
        } else {
            VecOp op = switch (kind) {
                case "shl" -> SHL[size - 1];
                case "shr_u" -> SHR_U[size - 1];
                default -> SHR_S[size - 1];
            };
            v.op(op, d, a, T3);
        }
        fn.fput(r, d);
    }

    /** i8x16.shr_s: each half widened to words (the byte in the high half), shifted by n + 8 (an immediate, or {@code count}), packed. */
    private static void shiftBytesArithmetic(X64Vectors v, Instruction i, XmmOrMemory a, Xmm count, int n) {
        X64Function fn = v.fn;
        v.op(VecOp.PUNPCKLBW, T1, a, a);
        v.op(VecOp.PUNPCKHBW, T2, a, a);
        if (count == null) {
            v.shift(VecOp.PSRAW_IMM, T1, T1, n + 8);
            v.shift(VecOp.PSRAW_IMM, T2, T2, n + 8);
        } else {
            v.op(VecOp.PSRAW, T1, T1, count);
            v.op(VecOp.PSRAW, T2, T2, count);
        }
        Xmm d = fn.fdst(i.result(), T1);
        v.op(VecOp.PACKSSWB, d, T1, T2);
        fn.fput(i.result(), d);
    }

    // ---- arithmetic

    /** neg: 0 - a. */
    private static void neg(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        v.zero(T1);
        Xmm d = fn.fdst(i.result(), T2);
        if (X64SimdLowering.clashes(v, d, T1, a)) d = T2;
        v.op(SUB[size(i.op)], d, T1, a);
        fn.fput(i.result(), d);
    }

    /** i64x2.abs: with VEX, 0 - a blended by a's sign; else the sign mask s = 0 > a, and (a ^ s) - s. */
    private static void abs64(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        v.zero(T1);
        if (v.vex) {
            Xmm x = fn.vget(i.arg(0), T2);
            v.op(VecOp.PSUBQ, T1, T1, x);
            Xmm d = fn.fdst(i.result(), T1);
            v.blend(VecOp.BLENDVPD, d, x, T1, x);
            fn.fput(i.result(), d);
            return;
        }
        v.op(VecOp.PCMPGTQ, T1, T1, a);
        v.op(VecOp.PXOR, T2, a, T1);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PSUBQ, d, T2, T1);
        fn.fput(i.result(), d);
    }

    /**
     * i64x2.mul from 32x32-bit multiplies: {@code lo(a)*lo(b) + (hi(a)*lo(b) + hi(b)*lo(a)) << 32}.
     */
    private static void mul64(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1));
        v.shift(VecOp.PSRLQ_IMM, T1, a, 32);
        v.op(VecOp.PMULUDQ, T1, T1, b);
        v.shift(VecOp.PSRLQ_IMM, T2, b, 32);
        v.op(VecOp.PMULUDQ, T2, T2, a);
        v.op(VecOp.PADDQ, T1, T1, T2);
        v.shift(VecOp.PSLLQ_IMM, T1, T1, 32);
        v.op(VecOp.PMULUDQ, T2, a, b);
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PADDQ, d, T2, T1);
        fn.fput(i.result(), d);
    }

    /** popcnt: the counts of the low and the high nibble of each byte, looked up with pshufb in a 16-entry table, added. */
    private static void popcnt(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        MemoryOperand nibble = v.splat(8, 0x0F);
        MemoryOperand counts = v.constant(0x0302_0201_0201_0100L, 0x0403_0302_0302_0201L);
        v.op(VecOp.PAND, T1, a, nibble);
        v.shift(VecOp.PSRLW_IMM, T2, a, 4);
        v.op(VecOp.PAND, T2, T2, nibble);
        v.mov(T3, counts);
        Xmm d;
        if (v.vex) {
            v.op(VecOp.PSHUFB, T1, T3, T1);
            v.op(VecOp.PSHUFB, T2, T3, T2);
            d = fn.fdst(i.result(), T1);
            v.op(VecOp.PADDB, d, T1, T2);
        } else {
            v.op(VecOp.PSHUFB, T3, T3, T1);
            v.mov(T1, counts);
            v.op(VecOp.PSHUFB, T1, T1, T2);
            d = fn.fdst(i.result(), T3);
            v.op(VecOp.PADDB, d, T3, T1);
        }
        fn.fput(i.result(), d);
    }

    /**
     * q15mulr_sat_s (and relaxed_q15mulr_s, which saturates too): pmulhrsw rounds and shifts the
     * same way but gives 0x8000 for 0x8000 * 0x8000; those lanes are flipped to 0x7FFF.
     */
    private static void q15(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        v.op(VecOp.PMULHRSW, T1, fn.vop(i.arg(0)), fn.vop(i.arg(1)));
        v.op(VecOp.PCMPEQW, T2, T1, v.splat(16, 0x8000));
        Xmm d = fn.fdst(i.result(), T1);
        v.op(VecOp.PXOR, d, T1, T2);
        fn.fput(i.result(), d);
    }

    // ---- widening

    /** extend_high: the high half moved down (pshufd), then the extend_low instruction. */
    private static void extendHigh(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        VecOp extend = X64SimdLowering.UNARY.get(Opcode.valueOf(i.op.name().replace("HIGH", "LOW"))).op();
        v.unary(VecOp.PSHUFD, T1, fn.vop(i.arg(0)), 0xEE);
        Xmm d = fn.fdst(i.result(), T1);
        v.unary(extend, d, T1);
        fn.fput(i.result(), d);
    }

    /**
     * extmul: i16x8 from bytes widens both halves and multiplies (pmullw); i32x4 from words
     * interleaves the low and high halves of the 16x16-bit products (pmullw, pmulhw/pmulhuw);
     * i64x2 from dwords spreads the two lanes into even positions and uses pmuldq/pmuludq (an
     * operand a shuffle defines comes spread already: {@link X64SpreadShuffles}).
     */
    private static void extmul(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        String name = name(i.op);
        boolean high = name.contains("high"), signed = name.endsWith("_s");
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1));
        Xmm d;
        switch (size(i.op)) {
            case 1 -> {
                VecOp extend = signed ? VecOp.PMOVSXBW : VecOp.PMOVZXBW;
                if (high) {
                    v.unary(VecOp.PSHUFD, T1, a, 0xEE);
                    v.unary(extend, T1, T1);
                    v.unary(VecOp.PSHUFD, T2, b, 0xEE);
                    v.unary(extend, T2, T2);
                } else {
                    v.unary(extend, T1, a);
                    v.unary(extend, T2, b);
                }
                d = fn.fdst(i.result(), T1);
                v.op(VecOp.PMULLW, d, T1, T2);
            }
            case 2 -> {
                v.op(VecOp.PMULLW, T1, a, b);
                v.op(signed ? VecOp.PMULHW : VecOp.PMULHUW, T2, a, b);
                d = fn.fdst(i.result(), T1);
                v.op(high ? VecOp.PUNPCKHWD : VecOp.PUNPCKLWD, d, T1, T2);
            }
            default -> {
                // the dwords into lanes 0 and 2 (pshufd 0,0,1,1 or 2,2,3,3), unless a shuffle made that spread already
                int spread = X64SpreadShuffles.spread(i.op);
                X64SpreadShuffles fused = fn.spreadShuffles();
                XmmOrMemory x = a, y = b;
                if (fused.spreadOf(i.arg(0)) < 0) {
                    v.unary(VecOp.PSHUFD, T1, a, spread);
                    x = T1;
                }
                if (fused.spreadOf(i.arg(1)) < 0) {
                    v.unary(VecOp.PSHUFD, T2, b, spread);
                    y = T2;
                }
                X64SimdLowering.binary(v, i.result(), signed ? VecOp.PMULDQ : VecOp.PMULUDQ, x, y, -1, true);
                return;
            }
        }
        fn.fput(i.result(), d);
    }

    /**
     * extadd_pairwise: pmaddubsw with a vector of ones (unsigned bytes first, signed second) for
     * bytes; pmaddwd with ones for signed words; for unsigned words the lanes are biased to signed
     * first and 2 * 32768 added back.
     */
    private static void extaddPairwise(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0));
        Xmm d = fn.fdst(i.result(), T2);
        switch (i.op) {
            case I16X8_EXTADD_PAIRWISE_I8X16_S -> {
                v.mov(T1, v.splat(8, 1));
                if (X64SimdLowering.clashes(v, d, T1, a)) d = T2;
                v.op(VecOp.PMADDUBSW, d, T1, a);
            }
            case I16X8_EXTADD_PAIRWISE_I8X16_U -> v.op(VecOp.PMADDUBSW, d, a, v.splat(8, 1));
            case I32X4_EXTADD_PAIRWISE_I16X8_S -> v.op(VecOp.PMADDWD, d, a, v.splat(16, 1));
            default -> {
                v.op(VecOp.PXOR, T1, a, v.splat(16, 0x8000));
                v.op(VecOp.PMADDWD, T1, T1, v.splat(16, 1));
                v.op(VecOp.PADDD, d, T1, v.splat(32, 0x1_0000));
            }
        }
        fn.fput(i.result(), d);
    }

    /**
     * The relaxed dot products, deterministic profile: both operands' bytes signed, the pairs of
     * products added with i16 saturation (phaddsw), and for the _add form the i16 sums added in
     * pairs to i32 (pmaddwd with ones) and to c.
     */
    private static void relaxedDot(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        XmmOrMemory a = fn.vop(i.arg(0)), b = fn.vop(i.arg(1));
        v.unary(VecOp.PMOVSXBW, T1, a);
        v.unary(VecOp.PMOVSXBW, T2, b);
        v.op(VecOp.PMULLW, T1, T1, T2);
        v.unary(VecOp.PSHUFD, T2, a, 0xEE);
        v.unary(VecOp.PMOVSXBW, T2, T2);
        v.unary(VecOp.PSHUFD, T3, b, 0xEE);
        v.unary(VecOp.PMOVSXBW, T3, T3);
        v.op(VecOp.PMULLW, T2, T2, T3);
        if (i.op == Opcode.I16X8_RELAXED_DOT_I8X16_I7X16_S) {
            Xmm d = fn.fdst(i.result(), T1);
            v.op(VecOp.PHADDSW, d, T1, T2);
            fn.fput(i.result(), d);
            return;
        }
        v.op(VecOp.PHADDSW, T1, T1, T2);
        v.op(VecOp.PMADDWD, T1, T1, v.splat(16, 1));
        XmmOrMemory c = fn.vop(i.arg(2));
        Xmm d = fn.fdst(i.result(), T1);
        if (c == d) v.op(VecOp.PADDD, d, c, T1);
        else v.op(VecOp.PADDD, d, T1, c);
        fn.fput(i.result(), d);
    }
}
