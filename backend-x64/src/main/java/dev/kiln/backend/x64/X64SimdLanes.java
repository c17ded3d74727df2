package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.vector.LaneOperations;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.x64.X64Vectors.T1;
import static dev.kiln.backend.x64.X64Vectors.T2;

/**
 * Whole-vector and lane operations: v128.const (the zero idiom, all ones without a load, else
 * the pool), splat (vpbroadcast with AVX2), lane extraction and replacement (a spilled vector's
 * lane is read from its slot), shuffles (the cheapest single instruction that matches the lane
 * pattern, else pshufb of each source and por; a shuffle with zero in {@link X64ZeroShuffles}), swizzle, bitmask, any_true and all_true.
 */
final class X64SimdLanes {
    private X64SimdLanes() {
    }

    static boolean handles(Opcode op) {
        return LaneOperations.contains(op);
    }

    static void lower(X64Vectors v, Instruction i) {
        switch (i.op) {
            case V128_CONST -> constant(v, i);
            case I8X16_SHUFFLE -> shuffle(v, i);
            case I8X16_SWIZZLE, I8X16_RELAXED_SWIZZLE -> swizzle(v, i);
            case V128_ANY_TRUE -> {
                Xmm x = v.fn.vget(i.arg(0), T1);
                v.asm.vec(VecOp.PTEST, x, x);
                X64IntegerLowering.setFlagResult(v.fn, i.result(), Condition.NE);
            }
            case I8X16_ALL_TRUE, I16X8_ALL_TRUE, I32X4_ALL_TRUE, I64X2_ALL_TRUE -> allTrue(v, i);
            case I8X16_BITMASK, I16X8_BITMASK, I32X4_BITMASK, I64X2_BITMASK -> bitmask(v, i);
            case I8X16_SPLAT, I16X8_SPLAT, I32X4_SPLAT, I64X2_SPLAT, F32X4_SPLAT, F64X2_SPLAT -> splat(v, i);
            case I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U,
                 I32X4_EXTRACT_LANE, I64X2_EXTRACT_LANE, F32X4_EXTRACT_LANE, F64X2_EXTRACT_LANE -> extract(v, i);
            default -> replace(v, i);
        }
    }

    private static void constant(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        int r = i.result();
        if (fn.location(r) == Location.NONE) return; // read from the pool by its uses
        Xmm d = fn.fdst(r, T1);
        if (i.imm == 0 && i.imm2() == 0) v.zero(d);
        else if (i.imm == -1 && i.imm2() == -1) v.ones(d);
        else v.mov(d, v.constant(i.imm, i.imm2()));
        fn.fput(r, d);
    }

    // ---- shuffles

    /** i8x16.shuffle: one source when every index picks from it (or both are the same value), else two. */
    private static void shuffle(X64Vectors v, Instruction i) {
        int[] idx = new int[16];
        for (int k = 0; k < 16; k++) idx[k] = (int) ((k < 8 ? i.imm : i.imm2()) >>> (8 * (k % 8))) & 0xFF;
        boolean same = i.arg(0) == i.arg(1), fromA = false, fromB = false;
        for (int k = 0; k < 16; k++) {
            if (same) idx[k] &= 15;
            if (idx[k] < 16) fromA = true;
            else fromB = true;
        }
        if (!fromB || !fromA) {
            if (!fromA) for (int k = 0; k < 16; k++) idx[k] -= 16;
            int spread = v.fn.spreadShuffles().spreadOf(i.result());
            if (spread >= 0) { // the extmul it feeds reads lanes 0 and 2 as they are: make its spread here
                idx = X64SpreadShuffles.compose(idx, spread);
                if (X64SpreadShuffles.evenLanesInPlace(idx)) for (int k = 0; k < 16; k++) idx[k] = k;
            }
            unaryShuffle(v, i.result(), v.fn.vop(i.arg(fromA ? 0 : 1)), idx);
        } else if (isZero(v, i.arg(0)) != isZero(v, i.arg(1))) {
            boolean zeroA = isZero(v, i.arg(0));
            int[] lanes = new int[16];
            for (int k = 0; k < 16; k++) lanes[k] = idx[k] < 16 == zeroA ? X64ZeroShuffles.ZERO : idx[k] & 15;
            X64ZeroShuffles.lower(v, i.result(), v.fn.vop(i.arg(zeroA ? 1 : 0)), v.fn.vop(i.arg(zeroA ? 0 : 1)), lanes);
        } else {
            binaryShuffle(v, i.result(), v.fn.vop(i.arg(0)), v.fn.vop(i.arg(1)), idx);
        }
    }

    /** Whether {@code value} is the v128 constant 0. */
    private static boolean isZero(X64Vectors v, int value) {
        long[] c = v.fn.facts.vectorConstant(value);
        return c != null && c[0] == 0 && c[1] == 0;
    }

    /** The dword each group of four indices selects whole (0-7 across both sources), or -1. */
    private static int[] groups(int[] idx, int size) {
        int[] out = new int[16 / size];
        for (int g = 0; g < out.length; g++) {
            int first = idx[g * size];
            out[g] = first % size == 0 ? first / size : -1;
            for (int j = 1; j < size && out[g] >= 0; j++) if (idx[g * size + j] != first + j) out[g] = -1;
        }
        return out;
    }

    private static boolean whole(int[] groups) {
        for (int g : groups) if (g < 0) return false;
        return true;
    }

    /** A shuffle of one source ({@code idx} 0-15): mov, pshufd, pshuflw/pshufhw, palignr, vpbroadcast, else pshufb. */
    private static void unaryShuffle(X64Vectors v, int r, XmmOrMemory src, int[] idx) {
        X64Function fn = v.fn;
        Xmm d = fn.fdst(r, T1);
        int[] dwords = groups(idx, 4), words = groups(idx, 2);
        boolean identity = true, allZero = true;
        for (int k = 0; k < 16; k++) {
            identity &= idx[k] == k;
            allZero &= idx[k] == 0;
        }
        int rotation = (idx[0]) & 15;
        boolean rotates = true;
        for (int k = 0; k < 16; k++) rotates &= idx[k] == ((rotation + k) & 15);
        if (identity) {
            v.mov(d, src);
        } else if (whole(dwords)) {
            v.unary(VecOp.PSHUFD, d, src, dwords[0] | dwords[1] << 2 | dwords[2] << 4 | dwords[3] << 6);
        } else if (whole(words) && words[4] == 4 && words[5] == 5 && words[6] == 6 && words[7] == 7
                && words[0] < 4 && words[1] < 4 && words[2] < 4 && words[3] < 4) {
            v.unary(VecOp.PSHUFLW, d, src, words[0] | words[1] << 2 | words[2] << 4 | words[3] << 6);
        } else if (whole(words) && words[0] == 0 && words[1] == 1 && words[2] == 2 && words[3] == 3
                && words[4] >= 4 && words[5] >= 4 && words[6] >= 4 && words[7] >= 4) {
            v.unary(VecOp.PSHUFHW, d, src, words[4] - 4 | (words[5] - 4) << 2 | (words[6] - 4) << 4 | (words[7] - 4) << 6);
        } else if (rotates) {
            v.op(VecOp.PALIGNR, d, src, src, rotation);
        } else if (allZero && fn.cpu.has(CpuFeature.AVX2)) {
            v.unary(VecOp.VPBROADCASTB, d, src);
        } else if (whole(words) && allEqual(words) && words[0] == 0 && fn.cpu.has(CpuFeature.AVX2)) {
            v.unary(VecOp.VPBROADCASTW, d, src);
        } else {
            v.op(VecOp.PSHUFB, d, src, v.constant(bytes(idx, 0), bytes(idx, 8)));
        }
        fn.fput(r, d);
    }

    private static boolean allEqual(int[] a) {
        for (int x : a) if (x != a[0]) return false;
        return true;
    }

    /**
     * A shuffle of two sources: one interleave (punpck*, either order), palignr, shufps,
     * pblendw, else each source through pshufb (the other's lanes zeroed by index 0x80) and por.
     */
    private static void binaryShuffle(X64Vectors v, int r, XmmOrMemory a, XmmOrMemory b, int[] idx) {
        VecOp[][] interleaves = {
                {VecOp.PUNPCKLBW, VecOp.PUNPCKHBW}, {VecOp.PUNPCKLWD, VecOp.PUNPCKHWD},
                {VecOp.PUNPCKLDQ, VecOp.PUNPCKHDQ}, {VecOp.PUNPCKLQDQ, VecOp.PUNPCKHQDQ}};
        for (int s = 0; s < 4; s++) {
            for (int half = 0; half < 2; half++) {
                int e = 1 << s;
                boolean straight = true, swapped = true;
                for (int k = 0; k < 16; k++) {
                    int elem = k / e, source = elem % 2;
                    int want = source * 16 + (elem / 2 + half * (8 / e)) * e + k % e;
                    straight &= idx[k] == want;
                    swapped &= idx[k] == (want ^ 16);
                }
                if (straight || swapped) {
                    X64SimdLowering.binary(v, r, interleaves[s][half], straight ? a : b, straight ? b : a, -1, false);
                    return;
                }
            }
        }
        int start = idx[0];
        boolean aligns = true;
        for (int k = 0; k < 16; k++) aligns &= idx[k] == ((start + k) & 31);
        if (aligns) { // bytes start.. of the concatenation (high:low) >> 8 * n
            boolean lowIsA = start < 16;
            X64SimdLowering.binary(v, r, VecOp.PALIGNR, lowIsA ? b : a, lowIsA ? a : b, start & 15, false);
            return;
        }
        int[] dwords = groups(idx, 4);
        if (whole(dwords)) {
            boolean ab = dwords[0] < 4 && dwords[1] < 4 && dwords[2] >= 4 && dwords[3] >= 4;
            boolean ba = dwords[0] >= 4 && dwords[1] >= 4 && dwords[2] < 4 && dwords[3] < 4;
            if (ab || ba) {
                int imm = (dwords[0] & 3) | (dwords[1] & 3) << 2 | (dwords[2] & 3) << 4 | (dwords[3] & 3) << 6;
                X64SimdLowering.binary(v, r, VecOp.SHUFPS, ab ? a : b, ab ? b : a, imm, false);
                return;
            }
        }
        int[] words = groups(idx, 2);
        if (whole(words)) {
            int mask = 0;
            boolean blends = true;
            for (int w = 0; w < 8; w++) {
                if (words[w] == 8 + w) mask |= 1 << w;
                else blends &= words[w] == w;
            }
            if (blends) {
                X64SimdLowering.binary(v, r, VecOp.PBLENDW, a, b, mask, false);
                return;
            }
        }
        int[] fromA = new int[16], fromB = new int[16];
        for (int k = 0; k < 16; k++) {
            fromA[k] = idx[k] < 16 ? idx[k] : 0x80;
            fromB[k] = idx[k] >= 16 ? idx[k] - 16 : 0x80;
        }
        v.op(VecOp.PSHUFB, T1, a, v.constant(bytes(fromA, 0), bytes(fromA, 8)));
        v.op(VecOp.PSHUFB, T2, b, v.constant(bytes(fromB, 0), bytes(fromB, 8)));
        Xmm d = v.fn.fdst(r, T1);
        v.op(VecOp.POR, d, T1, T2);
        v.fn.fput(r, d);
    }

    static long bytes(int[] idx, int from) {
        long w = 0;
        for (int k = 7; k >= 0; k--) w = w << 8 | (idx[from + k] & 0xFF);
        return w;
    }

    /** swizzle (and the deterministic relaxed_swizzle): indices 16 and up get their top bit set (saturating add of 0x70), which pshufb turns into 0. */
    private static void swizzle(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        v.op(VecOp.PADDUSB, T1, fn.vop(i.arg(1)), v.splat(8, 0x70));
        Xmm d = fn.fdst(i.result(), T2);
        v.op(VecOp.PSHUFB, d, fn.vop(i.arg(0)), T1);
        fn.fput(i.result(), d);
    }

    // ---- reductions to a scalar

    /** all_true: the lanes equal to zero (pcmpeq with 0) must be none (ptest sets ZF). */
    private static void allTrue(X64Vectors v, Instruction i) {
        VecOp eq = switch (i.op) {
            case I8X16_ALL_TRUE -> VecOp.PCMPEQB;
            case I16X8_ALL_TRUE -> VecOp.PCMPEQW;
            case I32X4_ALL_TRUE -> VecOp.PCMPEQD;
            default -> VecOp.PCMPEQQ;
        };
        v.zero(T1);
        v.op(eq, T1, T1, v.fn.vop(i.arg(0)));
        v.asm.vec(VecOp.PTEST, T1, T1);
        X64IntegerLowering.setFlagResult(v.fn, i.result(), Condition.E);
    }

    /** bitmask: pmovmskb, movmskps, movmskpd; words are packed to bytes first (signed saturation keeps the sign), the mask taken twice. */
    private static void bitmask(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
        switch (i.op) {
            case I8X16_BITMASK -> v.asm.vecMask(VecOp.PMOVMSKB, d, fn.vget(i.arg(0), T1));
            case I16X8_BITMASK -> {
                XmmOrMemory a = fn.vop(i.arg(0));
                v.op(VecOp.PACKSSWB, T1, a, a);
                v.asm.vecMask(VecOp.PMOVMSKB, d, T1);
                v.asm.shift(ShiftOp.SHR, Width.DWORD, d, 8);
            }
            case I32X4_BITMASK -> v.asm.vecMask(VecOp.MOVMSKPS, d, fn.vget(i.arg(0), T1));
            default -> v.asm.vecMask(VecOp.MOVMSKPD, d, fn.vget(i.arg(0), T1));
        }
        fn.iput(i.result(), d);
    }

    // ---- lanes and scalars

    /** splat: the scalar into lane 0, then broadcast (vpbroadcast* with AVX2; pshufb with zero, pshuflw+pshufd, pshufd or movddup otherwise). */
    private static void splat(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        X64Assembler asm = v.asm;
        boolean avx2 = fn.cpu.has(CpuFeature.AVX2);
        int r = i.result(), x = i.arg(0);
        Xmm d = fn.fdst(r, T1);
        switch (i.op) {
            case I8X16_SPLAT -> {
                asm.movd(T1, fn.iop(x));
                if (avx2) {
                    v.unary(VecOp.VPBROADCASTB, d, T1);
                } else {
                    v.zero(T2);
                    v.op(VecOp.PSHUFB, d, T1, T2);
                }
            }
            case I16X8_SPLAT -> {
                asm.movd(T1, fn.iop(x));
                if (avx2) {
                    v.unary(VecOp.VPBROADCASTW, d, T1);
                } else {
                    v.unary(VecOp.PSHUFLW, T1, T1, 0);
                    v.unary(VecOp.PSHUFD, d, T1, 0);
                }
            }
            case I32X4_SPLAT -> {
                asm.movd(T1, fn.iop(x));
                if (avx2) v.unary(VecOp.VPBROADCASTD, d, T1);
                else v.unary(VecOp.PSHUFD, d, T1, 0);
            }
            case I64X2_SPLAT -> {
                asm.movq(T1, fn.iop(x));
                if (avx2) v.unary(VecOp.VPBROADCASTQ, d, T1);
                else v.unary(VecOp.PSHUFD, d, T1, 0x44);
            }
            case F32X4_SPLAT -> v.unary(VecOp.PSHUFD, d, fn.fget(x, T1), 0);
            default -> v.unary(VecOp.MOVDDUP, d, fn.fget(x, T1));
        }
        fn.fput(r, d);
    }

    /** extract_lane: from a register by pextr*, movd/movq (lane 0), pshufd; from a spill slot by a plain load of the lane. */
    private static void extract(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        X64Assembler asm = v.asm;
        int lane = (int) i.imm, r = i.result();
        XmmOrMemory src = fn.vop(i.arg(0));
        switch (i.op) {
            case F32X4_EXTRACT_LANE, F64X2_EXTRACT_LANE -> {
                boolean f64 = i.op == Opcode.F64X2_EXTRACT_LANE;
                Xmm d = fn.fdst(r, T1);
                if (src instanceof MemoryOperand m) {
                    if (f64) asm.movsd(d, plus(m, 8 * lane));
                    else asm.movss(d, plus(m, 4 * lane));
                } else if (lane == 0) {
                    fn.movRegister(d, (Xmm) src);
                } else {
                    v.unary(VecOp.PSHUFD, d, src, f64 ? 0xEE : lane);
                }
                fn.fput(r, d);
            }
            default -> {
                Gpr d = fn.idst(r, X64Function.SCRATCH);
                int size = switch (i.op) {
                    case I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U -> 1;
                    case I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U -> 2;
                    case I32X4_EXTRACT_LANE -> 4;
                    default -> 8;
                };
                boolean signed = i.op == Opcode.I8X16_EXTRACT_LANE_S || i.op == Opcode.I16X8_EXTRACT_LANE_S;
                Width w = size == 1 ? Width.BYTE : Width.WORD;
                if (src instanceof MemoryOperand m) {
                    MemoryOperand at = plus(m, size * lane);
                    if (size == 8) asm.mov(Width.QWORD, d, at);
                    else if (size == 4) asm.mov(Width.DWORD, d, at);
                    else if (signed) asm.movsx(Width.DWORD, d, w, at);
                    else asm.movzx(Width.DWORD, d, w, at);
                } else {
                    Xmm x = (Xmm) src;
                    switch (size) {
                        case 1 -> v.extract(VecOp.PEXTRB, d, x, lane);
                        case 2 -> v.extract(VecOp.PEXTRW, d, x, lane);
                        case 4 -> {
                            if (lane == 0) asm.movd(d, x);
                            else v.extract(VecOp.PEXTRD, d, x, lane);
                        }
                        default -> {
                            if (lane == 0) asm.movq(d, x);
                            else v.extract(VecOp.PEXTRQ, d, x, lane);
                        }
                    }
                    if (signed) asm.movsx(Width.DWORD, d, w, d);
                }
                fn.iput(r, d);
            }
        }
    }

    /** replace_lane: pinsr* (from a register or a slot), insertps, movsd (lane 0) or movlhps (lane 1). */
    private static void replace(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        int lane = (int) i.imm, r = i.result();
        XmmOrMemory a = fn.vop(i.arg(0));
        Xmm d = fn.fdst(r, T1);
        switch (i.op) {
            case F32X4_REPLACE_LANE -> {
                XmmOrMemory x = fn.fop(i.arg(1));
                if (X64SimdLowering.clashes(v, d, a, x)) d = T1;
                v.op(VecOp.INSERTPS, d, a, x, lane << 4);
            }
            case F64X2_REPLACE_LANE -> {
                Xmm x = fn.fget(i.arg(1), T2);
                if (X64SimdLowering.clashes(v, d, a, x)) d = T1;
                v.op(lane == 0 ? VecOp.MOVSD_MERGE : VecOp.MOVLHPS, d, a, x);
            }
            default -> {
                VecOp op = switch (i.op) {
                    case I8X16_REPLACE_LANE -> VecOp.PINSRB;
                    case I16X8_REPLACE_LANE -> VecOp.PINSRW;
                    case I32X4_REPLACE_LANE -> VecOp.PINSRD;
                    default -> VecOp.PINSRQ;
                };
                v.insert(op, d, a, fn.iop(i.arg(1)), lane);
            }
        }
        fn.fput(r, d);
    }

    /** {@code m} moved by {@code bytes}. */
    static MemoryOperand plus(MemoryOperand m, int bytes) {
        return switch (m) {
            case MemoryOperand.Address x -> new MemoryOperand.Address(x.base(), x.index(), x.scale(), x.displacement() + bytes);
            case MemoryOperand.RipLabel x -> new MemoryOperand.RipLabel(x.label(), x.displacement() + bytes);
            case MemoryOperand.RipSymbol x -> throw new IllegalArgumentException("no lane of a symbol: " + x);
        };
    }
}
