package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.vector.LaneOperations;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.VectorShape.V16B;
import static dev.kiln.backend.aarch64.VectorShape.V2D;
import static dev.kiln.backend.aarch64.VectorShape.V4S;
import static dev.kiln.backend.aarch64.VectorShape.V8H;

/**
 * Whole-vector and lane operations on NEON: v128.const (movi/mvni where a lane pattern encodes,
 * else the literal pool), splat (dup), lane extraction (umov/smov, dup) and replacement (ins),
 * shuffles (the single instruction that matches: dup, rev64, ext, zip/uzp/trn, ins of one element,
 * else tbl with one or two table registers), swizzle (tbl, whose out-of-range indices give 0 as
 * Wasm's do), bitmask, any_true and all_true.
 */
final class A64SimdLanes {
    private A64SimdLanes() {
    }

    static boolean handles(Opcode op) {
        return LaneOperations.contains(op);
    }

    /** The lane shape of an operation's prefix: i8x16 16B ... f64x2 2D. */
    private static VectorShape shape(Opcode op) {
        return switch (op.mnemonic.substring(0, 5)) {
            case "i8x16" -> V16B;
            case "i16x8" -> V8H;
            case "i32x4", "f32x4" -> V4S;
            default -> V2D;
        };
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        switch (i.op) {
            case V128_CONST -> {
                if (fn.location(i.result()) == Location.NONE) return;
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                constant(asm, d, i.imm, i.imm2());
                fn.fput(i.result(), d);
            }
            case I8X16_SHUFFLE -> shuffle(fn, i);
            case I8X16_SWIZZLE, I8X16_RELAXED_SWIZZLE -> {
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH), idx = fn.fget(i.arg(1), FSCRATCH2);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.tbl(d.v16b(), a.v16b(), 1, idx.v16b());
                fn.fput(i.result(), d);
            }
            case V128_ANY_TRUE -> {
                // the pairwise maximum of 32-bit lanes folds 128 bits into 64: nonzero exactly when a lane is
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                asm.simd(SimdThreeSameOp.UMAXP, FSCRATCH.as(V4S), a.as(V4S), a.as(V4S));
                asm.fmov(SCRATCH, FSCRATCH.d());
                asm.cmp(SCRATCH, 0);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.cset(d.w(), Condition.NE);
                fn.iput(i.result(), d);
            }
            case I8X16_ALL_TRUE, I16X8_ALL_TRUE, I32X4_ALL_TRUE, I64X2_ALL_TRUE -> allTrue(fn, i);
            case I8X16_BITMASK, I16X8_BITMASK, I32X4_BITMASK, I64X2_BITMASK -> bitmask(fn, i);
            case I8X16_SPLAT, I16X8_SPLAT, I32X4_SPLAT, I64X2_SPLAT -> {
                VectorShape s = shape(i.op);
                GeneralRegister x = fn.iget(i.arg(0), SCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.dup(d.as(s), s == V2D ? x.x() : x.w());
                fn.fput(i.result(), d);
            }
            case F32X4_SPLAT, F64X2_SPLAT -> {
                VectorShape s = shape(i.op);
                VectorRegister x = fn.fget(i.arg(0), FSCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.dup(d.as(s), x.lane(s.element(), 0));
                fn.fput(i.result(), d);
            }
            case F32X4_EXTRACT_LANE, F64X2_EXTRACT_LANE -> {
                VectorShape s = shape(i.op);
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                if (i.imm != 0) asm.dup(d.as(s), a.lane(s.element(), (int) i.imm)); // lane 0 of d; the rest is don't-care
                else if (d.number() != a.number()) asm.movVector(d.q(), a.q());
                fn.fput(i.result(), d);
            }
            case I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U,
                 I32X4_EXTRACT_LANE, I64X2_EXTRACT_LANE -> {
                VectorShape s = shape(i.op);
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                VectorLane lane = a.lane(s.element(), (int) i.imm);
                if (i.op == Opcode.I8X16_EXTRACT_LANE_S || i.op == Opcode.I16X8_EXTRACT_LANE_S) asm.smov(d.w(), lane);
                else asm.umov(s == V2D ? d.x() : d.w(), lane);
                fn.iput(i.result(), d);
            }
            case F32X4_REPLACE_LANE, F64X2_REPLACE_LANE -> {
                VectorShape s = shape(i.op);
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                VectorRegister x = fn.fget(i.arg(1), FSCRATCH2);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                if (d.number() == x.number() && d.number() != a.number()) d = FSCRATCH3.q(); // copying a would lose x
                if (d.number() != a.number()) asm.movVector(d.q(), a.q());
                asm.ins(d.lane(s.element(), (int) i.imm), x.lane(s.element(), 0));
                fn.fput(i.result(), d);
            }
            default -> { // integer replace_lane
                VectorShape s = shape(i.op);
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                GeneralRegister x = fn.iget(i.arg(1), SCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                if (d.number() != a.number()) asm.movVector(d.q(), a.q());
                asm.ins(d.lane(s.element(), (int) i.imm), s == V2D ? x.x() : x.w());
                fn.fput(i.result(), d);
            }
        }
    }

    /** A 128-bit constant: movi/mvni when some lane shape encodes it, else a literal-pool load. */
    static void constant(A64Assembler asm, VectorRegister d, long low, long high) {
        if (low == high) {
            if (allBytesEqual(low) && asm.moviIfEncodable(d.v16b(), low & 0xFF)) return;
            if (low == (low & 0xFFFF) * 0x0001_0001_0001_0001L && asm.moviIfEncodable(d.as(V8H), low & 0xFFFF)) return;
            if (low == (low & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L && asm.moviIfEncodable(d.as(V4S), low & 0xFFFF_FFFFL)) return;
            if (asm.moviIfEncodable(d.as(V2D), low)) return;
        }
        asm.ldrLiteral128(d.q(), low, high);
    }

    private static boolean allBytesEqual(long w) {
        return w == (w & 0xFF) * 0x0101_0101_0101_0101L;
    }

    // ---- reductions

    /**
     * all_true: the minimum across the lanes is nonzero (uminv); for i64x2 (no 64-bit minimum)
     * no lane equals zero (cmeq #0, then any_true's pairwise maximum).
     */
    private static void allTrue(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorShape s = shape(i.op);
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
        Condition c;
        if (s == V2D) {
            asm.simd(SimdTwoMiscOp.CMEQ_ZERO, FSCRATCH.as(V2D), a.as(V2D));
            asm.simd(SimdThreeSameOp.UMAXP, FSCRATCH.as(V4S), FSCRATCH.as(V4S), FSCRATCH.as(V4S));
            asm.fmov(SCRATCH, FSCRATCH.d());
            asm.cmp(SCRATCH, 0);
            c = Condition.EQ;
        } else {
            asm.simd(SimdAcrossOp.UMINV, FSCRATCH.as(s.element()), a.as(s));
            asm.umov(SCRATCH.w(), FSCRATCH.lane(s.element(), 0));
            asm.cmp(SCRATCH.w(), 0);
            c = Condition.NE;
        }
        GeneralRegister d = fn.idst(i.result(), SCRATCH);
        asm.cset(d.w(), c);
        fn.iput(i.result(), d);
    }

    /**
     * bitmask: each lane's top bit spread over the lane (sshr), and'ed with its bit's weight, and
     * the lanes added (addv); bytes are added as pairs of the low and high half (zip1 with ext), so
     * one 16-bit sum holds both bytes of the mask. i64x2 takes the two top bits directly.
     */
    private static void bitmask(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        VectorShape s = shape(i.op);
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
        GeneralRegister d = fn.idst(i.result(), SCRATCH);
        if (s == V2D) {
            asm.umov(SCRATCH, a.lane(VectorShape.D, 0));
            asm.umov(SCRATCH2, a.lane(VectorShape.D, 1));
            asm.lsr(SCRATCH, SCRATCH, 63);
            asm.lsr(SCRATCH2, SCRATCH2, 63);
            asm.add(d.x(), SCRATCH, SCRATCH2, Shift.LSL, 1);
            fn.iput(i.result(), d);
            return;
        }
        VectorRegister t = FSCRATCH2;
        asm.simd(SimdShiftOp.SSHR, t.as(s), a.as(s), s.elementBits - 1);
        long weights = switch (s) {
            case V16B -> 0x8040_2010_0804_0201L;
            case V8H -> 0x0008_0004_0002_0001L;
            default -> 0x0000_0002_0000_0001L;
        };
        long high = switch (s) {
            case V16B -> weights;
            case V8H -> 0x0080_0040_0020_0010L;
            default -> 0x0000_0008_0000_0004L;
        };
        constant(asm, FSCRATCH3, weights, high);
        asm.simd(SimdThreeSameOp.AND, t.v16b(), t.v16b(), FSCRATCH3.v16b());
        VectorShape sum = s;
        if (s == V16B) {
            asm.ext(FSCRATCH3.v16b(), t.v16b(), t.v16b(), 8);
            asm.simd(SimdPermuteOp.ZIP1, t.v16b(), t.v16b(), FSCRATCH3.v16b());
            sum = V8H;
        }
        asm.simd(SimdAcrossOp.ADDV, t.as(sum.element()), t.as(sum));
        asm.umov(d.w(), t.lane(sum.element(), 0));
        fn.iput(i.result(), d);
    }

    // ---- shuffles

    /** i8x16.shuffle: one source when every index picks from it (or both are the same value), else two. */
    private static void shuffle(A64Function fn, Instruction i) {
        int[] idx = new int[16];
        for (int k = 0; k < 16; k++) idx[k] = (int) ((k < 8 ? i.imm : i.imm2()) >>> (8 * (k % 8))) & 0xFF;
        boolean same = i.arg(0) == i.arg(1), fromA = false, fromB = false;
        for (int k = 0; k < 16; k++) {
            if (same) idx[k] &= 15;
            if (idx[k] < 16) fromA = true;
            else fromB = true;
        }
        VectorRegister d = fn.fdst(i.result(), FSCRATCH3);
        if (!fromA || !fromB) {
            if (!fromA) for (int k = 0; k < 16; k++) idx[k] -= 16;
            VectorRegister src = fn.fget(i.arg(fromA ? 0 : 1), FSCRATCH);
            if (!unaryPattern(fn.asm, d, src, idx)) {
                constant(fn.asm, FSCRATCH2, bytes(idx, 0), bytes(idx, 8));
                fn.asm.tbl(d.v16b(), src.v16b(), 1, FSCRATCH2.v16b());
            }
        } else {
            VectorRegister a = fn.fget(i.arg(0), FSCRATCH), b = fn.fget(i.arg(1), FSCRATCH2);
            if (!binaryPattern(fn.asm, d, a, b, idx)) {
                // tbl's table is two consecutive registers: a and b as they are when they are, else v30/v31
                VectorRegister table = (a.number() + 1) % 32 == b.number() ? a : tableOf(fn.asm, a, b);
                constant(fn.asm, FSCRATCH3, bytes(idx, 0), bytes(idx, 8));
                fn.asm.tbl(d.v16b(), table.v16b(), 2, FSCRATCH3.v16b());
            }
        }
        fn.fput(i.result(), d);
    }

    /** Puts a into v30 and b into v31 (either may be there already) and returns v30. */
    private static VectorRegister tableOf(A64Assembler asm, VectorRegister a, VectorRegister b) {
        VectorRegister lo = FSCRATCH2.q(), hi = FSCRATCH.q(); // v30, v31
        if (b.number() == lo.number()) {
            if (a.number() == hi.number()) { // swapped: go through v29
                asm.movVector(FSCRATCH3.q(), b.q());
                asm.movVector(lo, a.q());
                asm.movVector(hi, FSCRATCH3.q());
            } else {
                asm.movVector(hi, b.q());
                asm.movVector(lo, a.q());
            }
        } else {
            if (a.number() != lo.number()) asm.movVector(lo, a.q());
            if (b.number() != hi.number()) asm.movVector(hi, b.q());
        }
        return lo;
    }

    private static long bytes(int[] idx, int from) {
        long w = 0;
        for (int k = 7; k >= 0; k--) w = w << 8 | (idx[from + k] & 0xFF);
        return w;
    }

    /** The element each group of {@code size} indices selects whole, or -1. */
    private static int[] groups(int[] idx, int size) {
        int[] out = new int[16 / size];
        for (int g = 0; g < out.length; g++) {
            int first = idx[g * size];
            out[g] = first % size == 0 ? first / size : -1;
            for (int j = 1; j < size && out[g] >= 0; j++) if (idx[g * size + j] != first + j) out[g] = -1;
        }
        return out;
    }

    private static VectorShape arrangement(int size) {
        return switch (size) {
            case 1 -> V16B;
            case 2 -> V8H;
            case 4 -> V4S;
            default -> V2D;
        };
    }

    /** One instruction for a shuffle of one source (idx 0-15): mov, dup, rev64, ext; false when none matches. */
    private static boolean unaryPattern(A64Assembler asm, VectorRegister d, VectorRegister src, int[] idx) {
        boolean identity = true;
        for (int k = 0; k < 16; k++) identity &= idx[k] == k;
        if (identity) {
            if (d.number() != src.number()) asm.movVector(d.q(), src.q());
            return true;
        }
        for (int size = 8; size >= 1; size /= 2) {
            int[] g = groups(idx, size);
            boolean all = g[0] >= 0;
            for (int x : g) all &= x == g[0];
            if (all) {
                VectorShape t = arrangement(size);
                asm.dup(d.as(t), src.lane(t.element(), g[0]));
                return true;
            }
        }
        for (int size = 4; size >= 1; size /= 2) { // rev64: elements reversed within each doubleword
            int[] g = groups(idx, size);
            int per = 8 / size;
            boolean rev = true;
            for (int e = 0; e < g.length; e++) rev &= g[e] == (e / per) * per + (per - 1 - e % per);
            if (rev) {
                VectorShape t = arrangement(size);
                asm.simd(SimdTwoMiscOp.REV64, d.as(t), src.as(t));
                return true;
            }
        }
        int n = idx[0];
        boolean rotates = true;
        for (int k = 0; k < 16; k++) rotates &= idx[k] == ((n + k) & 15);
        if (rotates) {
            asm.ext(d.v16b(), src.v16b(), src.v16b(), n);
            return true;
        }
        return false;
    }

    /**
     * One or two instructions for a shuffle of two sources: zip1/zip2, uzp1/uzp2, trn1/trn2 of
     * any element size in either operand order, ext, or one element of one source inserted into
     * the other; false when none matches.
     */
    private static boolean binaryPattern(A64Assembler asm, VectorRegister d, VectorRegister a, VectorRegister b, int[] idx) {
        SimdPermuteOp[] ops = {SimdPermuteOp.ZIP1, SimdPermuteOp.ZIP2, SimdPermuteOp.UZP1, SimdPermuteOp.UZP2,
                SimdPermuteOp.TRN1, SimdPermuteOp.TRN2};
        for (int size = 8; size >= 1; size /= 2) {
            int[] g = groups(idx, size);
            if (g[0] < 0 || !whole(g)) continue;
            int n = 16 / size;
            for (SimdPermuteOp op : ops) {
                boolean straight = true, swapped = true;
                for (int m = 0; m < n; m++) {
                    int want = permuted(op, n, m);
                    straight &= g[m] == want;
                    swapped &= g[m] == (want + n) % (2 * n);
                }
                if (straight || swapped) {
                    VectorShape t = arrangement(size);
                    asm.simd(op, d.as(t), (straight ? a : b).as(t), (straight ? b : a).as(t));
                    return true;
                }
            }
        }
        int start = idx[0];
        boolean aligns = true;
        for (int k = 0; k < 16; k++) aligns &= idx[k] == ((start + k) & 31);
        if (aligns && (start & 15) != 0) {
            boolean lowIsA = start < 16;
            asm.ext(d.v16b(), (lowIsA ? a : b).v16b(), (lowIsA ? b : a).v16b(), start & 15);
            return true;
        }
        for (int size = 8; size >= 1; size /= 2) { // all of one source but one element from the other
            int[] g = groups(idx, size);
            if (!whole(g)) continue;
            int n = 16 / size;
            for (int base = 0; base < 2; base++) {
                int odd = -1, count = 0;
                for (int m = 0; m < n; m++) {
                    if (g[m] != base * n + m) {
                        odd = m;
                        count++;
                    }
                }
                if (count != 1) continue;
                VectorRegister keep = base == 0 ? a : b;
                int from = g[odd];
                VectorRegister other = from >= n ? b : a;
                VectorShape t = arrangement(size).element();
                if (d.number() == other.number() && d.number() != keep.number()) return false; // the copy would lose it
                if (d.number() != keep.number()) asm.movVector(d.q(), keep.q());
                asm.ins(d.lane(t, odd), other.lane(t, from % n));
                return true;
            }
        }
        return false;
    }

    private static boolean whole(int[] g) {
        for (int x : g) if (x < 0) return false;
        return true;
    }

    /** The element (0 .. 2n-1 over a then b) that element m of op's result takes, for n elements per register. */
    private static int permuted(SimdPermuteOp op, int n, int m) {
        return switch (op) {
            case ZIP1 -> (m % 2) * n + m / 2;
            case ZIP2 -> (m % 2) * n + n / 2 + m / 2;
            case UZP1 -> m < n / 2 ? 2 * m : n + 2 * (m - n / 2);
            case UZP2 -> m < n / 2 ? 2 * m + 1 : n + 2 * (m - n / 2) + 1;
            case TRN1 -> m % 2 == 0 ? m : n + m - 1;
            case TRN2 -> m % 2 == 0 ? m + 1 : n + m;
        };
    }
}
