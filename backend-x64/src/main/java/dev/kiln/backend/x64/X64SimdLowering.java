package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.code.CpuFeature;

import java.util.EnumMap;
import java.util.Map;

import static dev.kiln.backend.x64.X64Vectors.T1;

/**
 * The SIMD instructions (v128, and relaxed SIMD with the deterministic profile's results) on
 * SSE4.1/SSE4.2 (x86-64-v2), VEX-encoded when the CPU has AVX. Operations that are one packed
 * instruction come from two tables ({@link #BINARY}, {@link #UNARY}); the rest are sequences in
 * {@link X64SimdIntegers}, {@link X64SimdFloats}, {@link X64SimdLanes} and {@link X64SimdMemory}.
 * Sequences use the three vector temporaries of {@link X64Vectors} and the general scratch
 * registers RAX, RCX, RDX and R11.
 */
final class X64SimdLowering {
    /**
     * One packed instruction of two operands: {@code swap} when it takes the Wasm operands in the
     * other order, {@code imm8} the predicate or selector (-1 for none).
     */
    record Binary(VecOp op, boolean commutative, boolean swap, int imm8) {
    }

    /** One packed instruction of one operand, {@code imm8} its rounding mode (-1 for none). */
    record Unary(VecOp op, int imm8) {
    }

    static final Map<Opcode, Binary> BINARY = new EnumMap<>(Opcode.class);
    static final Map<Opcode, Unary> UNARY = new EnumMap<>(Opcode.class);

    private static void commutative(Opcode o, VecOp op) {
        BINARY.put(o, new Binary(op, true, false, -1));
    }

    private static void ordered(Opcode o, VecOp op) {
        BINARY.put(o, new Binary(op, false, false, -1));
    }

    private static void swapped(Opcode o, VecOp op) {
        BINARY.put(o, new Binary(op, false, true, -1));
    }

    /** A float comparison by predicate: eq 0, lt 1, le 2, neq 4 (true for NaN, as Wasm's ne); gt and ge are lt and le swapped. */
    private static void compare(Opcode o, VecOp op, int predicate, boolean swap) {
        BINARY.put(o, new Binary(op, predicate == 0 || predicate == 4, swap, predicate));
    }

    static {
        VecOp[] add = {VecOp.PADDB, VecOp.PADDW, VecOp.PADDD, VecOp.PADDQ};
        VecOp[] sub = {VecOp.PSUBB, VecOp.PSUBW, VecOp.PSUBD, VecOp.PSUBQ};
        VecOp[] eq = {VecOp.PCMPEQB, VecOp.PCMPEQW, VecOp.PCMPEQD, VecOp.PCMPEQQ};
        VecOp[] gt = {VecOp.PCMPGTB, VecOp.PCMPGTW, VecOp.PCMPGTD, VecOp.PCMPGTQ};
        String[] shapes = {"I8X16", "I16X8", "I32X4", "I64X2"};
        for (int k = 0; k < 4; k++) {
            commutative(Opcode.valueOf(shapes[k] + "_ADD"), add[k]);
            ordered(Opcode.valueOf(shapes[k] + "_SUB"), sub[k]);
            commutative(Opcode.valueOf(shapes[k] + "_EQ"), eq[k]);
            ordered(Opcode.valueOf(shapes[k] + "_GT_S"), gt[k]);
            swapped(Opcode.valueOf(shapes[k] + "_LT_S"), gt[k]);
        }
        commutative(Opcode.I8X16_ADD_SAT_S, VecOp.PADDSB);
        commutative(Opcode.I8X16_ADD_SAT_U, VecOp.PADDUSB);
        ordered(Opcode.I8X16_SUB_SAT_S, VecOp.PSUBSB);
        ordered(Opcode.I8X16_SUB_SAT_U, VecOp.PSUBUSB);
        commutative(Opcode.I16X8_ADD_SAT_S, VecOp.PADDSW);
        commutative(Opcode.I16X8_ADD_SAT_U, VecOp.PADDUSW);
        ordered(Opcode.I16X8_SUB_SAT_S, VecOp.PSUBSW);
        ordered(Opcode.I16X8_SUB_SAT_U, VecOp.PSUBUSW);
        commutative(Opcode.I8X16_MIN_S, VecOp.PMINSB);
        commutative(Opcode.I8X16_MIN_U, VecOp.PMINUB);
        commutative(Opcode.I8X16_MAX_S, VecOp.PMAXSB);
        commutative(Opcode.I8X16_MAX_U, VecOp.PMAXUB);
        commutative(Opcode.I16X8_MIN_S, VecOp.PMINSW);
        commutative(Opcode.I16X8_MIN_U, VecOp.PMINUW);
        commutative(Opcode.I16X8_MAX_S, VecOp.PMAXSW);
        commutative(Opcode.I16X8_MAX_U, VecOp.PMAXUW);
        commutative(Opcode.I32X4_MIN_S, VecOp.PMINSD);
        commutative(Opcode.I32X4_MIN_U, VecOp.PMINUD);
        commutative(Opcode.I32X4_MAX_S, VecOp.PMAXSD);
        commutative(Opcode.I32X4_MAX_U, VecOp.PMAXUD);
        commutative(Opcode.I8X16_AVGR_U, VecOp.PAVGB);
        commutative(Opcode.I16X8_AVGR_U, VecOp.PAVGW);
        commutative(Opcode.I16X8_MUL, VecOp.PMULLW);
        commutative(Opcode.I32X4_MUL, VecOp.PMULLD);
        commutative(Opcode.I32X4_DOT_I16X8_S, VecOp.PMADDWD);
        ordered(Opcode.I8X16_NARROW_I16X8_S, VecOp.PACKSSWB);
        ordered(Opcode.I8X16_NARROW_I16X8_U, VecOp.PACKUSWB);
        ordered(Opcode.I16X8_NARROW_I32X4_S, VecOp.PACKSSDW);
        ordered(Opcode.I16X8_NARROW_I32X4_U, VecOp.PACKUSDW);
        commutative(Opcode.V128_AND, VecOp.PAND);
        commutative(Opcode.V128_OR, VecOp.POR);
        commutative(Opcode.V128_XOR, VecOp.PXOR);
        swapped(Opcode.V128_ANDNOT, VecOp.PANDN); // a & ~b = pandn(b, a)

        commutative(Opcode.F32X4_ADD, VecOp.ADDPS);
        ordered(Opcode.F32X4_SUB, VecOp.SUBPS);
        commutative(Opcode.F32X4_MUL, VecOp.MULPS);
        ordered(Opcode.F32X4_DIV, VecOp.DIVPS);
        commutative(Opcode.F64X2_ADD, VecOp.ADDPD);
        ordered(Opcode.F64X2_SUB, VecOp.SUBPD);
        commutative(Opcode.F64X2_MUL, VecOp.MULPD);
        ordered(Opcode.F64X2_DIV, VecOp.DIVPD);
        // pmin(a, b) = b < a ? b : a = minps(b, a); pmax(a, b) = a < b ? b : a = maxps(b, a)
        swapped(Opcode.F32X4_PMIN, VecOp.MINPS);
        swapped(Opcode.F32X4_PMAX, VecOp.MAXPS);
        swapped(Opcode.F64X2_PMIN, VecOp.MINPD);
        swapped(Opcode.F64X2_PMAX, VecOp.MAXPD);
        for (VecOp cmp : new VecOp[] {VecOp.CMPPS, VecOp.CMPPD}) {
            String s = cmp == VecOp.CMPPS ? "F32X4" : "F64X2";
            compare(Opcode.valueOf(s + "_EQ"), cmp, 0, false);
            compare(Opcode.valueOf(s + "_NE"), cmp, 4, false);
            compare(Opcode.valueOf(s + "_LT"), cmp, 1, false);
            compare(Opcode.valueOf(s + "_LE"), cmp, 2, false);
            compare(Opcode.valueOf(s + "_GT"), cmp, 1, true);
            compare(Opcode.valueOf(s + "_GE"), cmp, 2, true);
        }

        UNARY.put(Opcode.I8X16_ABS, new Unary(VecOp.PABSB, -1));
        UNARY.put(Opcode.I16X8_ABS, new Unary(VecOp.PABSW, -1));
        UNARY.put(Opcode.I32X4_ABS, new Unary(VecOp.PABSD, -1));
        UNARY.put(Opcode.I16X8_EXTEND_LOW_I8X16_S, new Unary(VecOp.PMOVSXBW, -1));
        UNARY.put(Opcode.I16X8_EXTEND_LOW_I8X16_U, new Unary(VecOp.PMOVZXBW, -1));
        UNARY.put(Opcode.I32X4_EXTEND_LOW_I16X8_S, new Unary(VecOp.PMOVSXWD, -1));
        UNARY.put(Opcode.I32X4_EXTEND_LOW_I16X8_U, new Unary(VecOp.PMOVZXWD, -1));
        UNARY.put(Opcode.I64X2_EXTEND_LOW_I32X4_S, new Unary(VecOp.PMOVSXDQ, -1));
        UNARY.put(Opcode.I64X2_EXTEND_LOW_I32X4_U, new Unary(VecOp.PMOVZXDQ, -1));
        UNARY.put(Opcode.F32X4_SQRT, new Unary(VecOp.SQRTPS, -1));
        UNARY.put(Opcode.F64X2_SQRT, new Unary(VecOp.SQRTPD, -1));
        UNARY.put(Opcode.F32X4_CONVERT_I32X4_S, new Unary(VecOp.CVTDQ2PS, -1));
        UNARY.put(Opcode.F64X2_CONVERT_LOW_I32X4_S, new Unary(VecOp.CVTDQ2PD, -1));
        UNARY.put(Opcode.F32X4_DEMOTE_F64X2_ZERO, new Unary(VecOp.CVTPD2PS, -1));
        UNARY.put(Opcode.F64X2_PROMOTE_LOW_F32X4, new Unary(VecOp.CVTPS2PD, -1));
        for (RoundingMode m : RoundingMode.values()) {
            String name = m.name();
            UNARY.put(Opcode.valueOf("F32X4_" + name), new Unary(VecOp.ROUNDPS, m.immediate()));
            UNARY.put(Opcode.valueOf("F64X2_" + name), new Unary(VecOp.ROUNDPD, m.immediate()));
        }
    }

    private X64SimdLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        if (!fn.cpu.has(CpuFeature.SSE4_1)) {
            throw new UnsupportedOperationException("SIMD instruction " + i.op.mnemonic + " needs SSE4.1 (x86_64-v2 or higher); this code is for "
                    + fn.cpu.name());
        }
        X64Vectors v = new X64Vectors(fn);
        Binary b = BINARY.get(i.op);
        if (b != null) {
            binary(v, i, b);
            return;
        }
        Unary u = UNARY.get(i.op);
        if (u != null) {
            Xmm d = fn.fdst(i.result(), T1);
            if (u.imm8 >= 0) v.unary(u.op, d, fn.vop(i.arg(0)), u.imm8);
            else v.unary(u.op, d, fn.vop(i.arg(0)));
            fn.fput(i.result(), d);
            return;
        }
        if (Effects.addressesMemory(i.op)) {
            X64SimdMemory.lower(v, i);
        } else if (X64SimdLanes.handles(i.op)) {
            X64SimdLanes.lower(v, i);
        } else if (X64SimdFloats.handles(i.op)) {
            X64SimdFloats.lower(v, i);
        } else {
            X64SimdIntegers.lower(v, i);
        }
    }

    /** One packed instruction from the {@link #BINARY} table. */
    private static void binary(X64Vectors v, Instruction i, Binary b) {
        X64Function fn = v.fn;
        binary(v, i.result(), b.op, fn.vop(i.arg(b.swap ? 1 : 0)), fn.vop(i.arg(b.swap ? 0 : 1)), b.imm8, b.commutative);
    }

    /**
     * {@code result = x op y} ({@code imm8} -1 for none): a commutative operation takes a memory
     * operand second and avoids a destination that is its second source; otherwise such a
     * destination becomes a temporary.
     */
    static void binary(X64Vectors v, int result, VecOp op, XmmOrMemory x, XmmOrMemory y, int imm8, boolean commutative) {
        X64Function fn = v.fn;
        Xmm d = fn.fdst(result, T1);
        if (commutative && (clashes(v, d, x, y) || v.vex && !(x instanceof Xmm) && y instanceof Xmm) && !clashes(v, d, y, x)) {
            XmmOrMemory t = x;
            x = y;
            y = t;
        }
        if (clashes(v, d, x, y)) d = T1;
        if (imm8 >= 0) v.op(op, d, x, y, imm8);
        else v.op(op, d, x, y);
        fn.fput(result, d);
    }

    /** Whether {@code d = x op y} cannot write {@code d} directly: it is {@code y} and {@code x} must be copied into it first. */
    static boolean clashes(X64Vectors v, Xmm d, XmmOrMemory x, XmmOrMemory y) {
        return y == d && x != d && (!v.vex || !(x instanceof Xmm));
    }

    /**
     * Whether operand {@code position} of {@code use} may be a v128 constant read from the pool:
     * the operand a one-instruction operation takes from memory, and either operand of a shuffle
     * (its lowering loads a memory operand it cannot take as it is; a shuffle with zero mostly
     * reads only the other operand, {@link X64ZeroShuffles}).
     */
    static boolean readsConstantFromPool(Instruction use, int position) {
        if (use.op == Opcode.I8X16_SHUFFLE) return true;
        Binary b = BINARY.get(use.op);
        if (b != null) return b.commutative || position == (b.swap ? 0 : 1);
        return UNARY.containsKey(use.op);
    }
}
