package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.code.CpuFeature;

import java.util.EnumMap;
import java.util.Map;

import static dev.kiln.backend.x64.MemoryOperand.rip;

/**
 * f32/f64 arithmetic, min/max, sign operations, rounding and comparisons with WebAssembly's
 * semantics: NaN results stay NaN (x86 propagates a quieted input NaN, which the spec allows),
 * min/max return NaN for any NaN operand and order -0 below +0, comparisons with NaN are false
 * (except ne).
 */
final class X64FloatLowering {
    private static final Map<Opcode, SseOp[]> ARITH = new EnumMap<>(Opcode.class); // {f32 op, f64 op}

    static {
        ARITH.put(Opcode.F32_ADD, new SseOp[] {SseOp.ADDSS});
        ARITH.put(Opcode.F64_ADD, new SseOp[] {SseOp.ADDSD});
        ARITH.put(Opcode.F32_SUB, new SseOp[] {SseOp.SUBSS});
        ARITH.put(Opcode.F64_SUB, new SseOp[] {SseOp.SUBSD});
        ARITH.put(Opcode.F32_MUL, new SseOp[] {SseOp.MULSS});
        ARITH.put(Opcode.F64_MUL, new SseOp[] {SseOp.MULSD});
        ARITH.put(Opcode.F32_DIV, new SseOp[] {SseOp.DIVSS});
        ARITH.put(Opcode.F64_DIV, new SseOp[] {SseOp.DIVSD});
    }

    private X64FloatLowering() {
    }

    static boolean handles(Opcode op) {
        String m = op.mnemonic;
        if (!(m.startsWith("f32.") || m.startsWith("f64."))) return false;
        return !m.contains("convert") && !m.contains("demote") && !m.contains("promote") && !m.contains("reinterpret");
    }

    private static boolean f64(Opcode op) {
        return op.mnemonic.startsWith("f64");
    }

    static void lower(X64Function fn, Instruction i) {
        Opcode op = i.op;
        boolean d = f64(op);
        SseOp[] arith = ARITH.get(op);
        if (arith != null) {
            binary(fn, i, arith[0], op != Opcode.F32_SUB && op != Opcode.F64_SUB && op != Opcode.F32_DIV && op != Opcode.F64_DIV);
            return;
        }
        switch (op) {
            case F32_MIN, F64_MIN -> minMax(fn, i, d, true);
            case F32_MAX, F64_MAX -> minMax(fn, i, d, false);
            case F32_SQRT, F64_SQRT -> unary(fn, i, d ? SseOp.SQRTSD : SseOp.SQRTSS);
            case F32_CEIL, F64_CEIL -> round(fn, i, d, RoundingMode.CEIL);
            case F32_FLOOR, F64_FLOOR -> round(fn, i, d, RoundingMode.FLOOR);
            case F32_TRUNC, F64_TRUNC -> round(fn, i, d, RoundingMode.TRUNC);
            case F32_NEAREST, F64_NEAREST -> round(fn, i, d, RoundingMode.NEAREST);
            case F32_ABS, F64_ABS -> mask(fn, i, d ? SseOp.ANDPD : SseOp.ANDPS, d ? ~(1L << 63) : 0x7FFF_FFFFL);
            case F32_NEG, F64_NEG -> mask(fn, i, d ? SseOp.XORPD : SseOp.XORPS, d ? 1L << 63 : 0x8000_0000L);
            case F32_COPYSIGN, F64_COPYSIGN -> copysign(fn, i, d);
            case F32_EQ, F64_EQ, F32_NE, F64_NE, F32_LT, F64_LT, F32_GT, F64_GT, F32_LE, F64_LE, F32_GE, F64_GE -> compare(fn, i);
            default -> throw new IllegalStateException("not a float operation: " + op);
        }
    }

    private static void binary(X64Function fn, Instruction i, SseOp op, boolean commutative) {
        X64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        Xmm dst = fn.fdst(r, X64Function.FSCRATCH);
        if (fn.cpu.has(CpuFeature.AVX)) {
            // vop dst, a, b: no copy into dst first, and no detour through a scratch when dst is b
            XmmOrMemory left = fn.fop(a), right = fn.fop(b);
            if (!(left instanceof Xmm) && commutative && right instanceof Xmm) {
                XmmOrMemory t = left;
                left = right;
                right = t;
            }
            Xmm src1;
            if (left instanceof Xmm x) {
                src1 = x;
            } else {
                src1 = right == dst ? X64Function.FSCRATCH2 : dst;
                fn.fmov(src1, a); // left is still a's operand: a swap happens only when it makes left a register
            }
            asm.sse(op, dst, src1, right);
            fn.fput(r, dst);
            return;
        }
        boolean dIsB = fn.inRegister(b) && fn.fop(b) == dst;
        if (dIsB && commutative) {
            asm.sse(op, dst, fn.fop(a));
        } else {
            if (dIsB) dst = X64Function.FSCRATCH;
            fn.fmov(dst, a);
            asm.sse(op, dst, fn.fop(b));
        }
        fn.fput(r, dst);
    }

    private static void unary(X64Function fn, Instruction i, SseOp op) {
        Xmm dst = fn.fdst(i.result(), X64Function.FSCRATCH);
        XmmOrMemory src = fn.fop(i.arg(0));
        if (fn.cpu.has(CpuFeature.AVX) && src instanceof Xmm x) {
            fn.asm.sse(op, dst, x, x); // the upper lanes from the source: no dependency on dst's old value
            fn.fput(i.result(), dst);
            return;
        }
        fn.asm.sse(op, dst, src);
        fn.fput(i.result(), dst);
    }

    private static void round(X64Function fn, Instruction i, boolean d, RoundingMode mode) {
        Xmm dst = fn.fdst(i.result(), X64Function.FSCRATCH);
        if (fn.cpu.has(CpuFeature.SSE4_1)) {
            fn.asm.round(d ? SseOp.ROUNDSD : SseOp.ROUNDSS, dst, fn.fop(i.arg(0)), mode);
        } else {
            roundWithoutSse41(fn, i.arg(0), dst, d, mode);
        }
        fn.fput(i.result(), dst);
    }

    /**
     * ceil, floor, trunc and nearest with SSE2 only. Values of magnitude 2^52 (f64) or 2^23 (f32)
     * and up are integers already, and infinities and NaNs are their own result; the rest goes
     * through a 64/32-bit integer (cvtt*2si truncates, cvt*2si rounds to nearest even), is
     * corrected by one for floor and ceil, and takes the input's sign back (so -0.5 gives -0):
     * <pre>
     *   d = x + -0.0                        ; quiets a NaN, exact otherwise
     *   t = |d|; if !(t < 2^52) goto done   ; also taken for a NaN
     *   rax = cvt(t)sd2si d; t = cvtsi2sd rax
     *   floor: if t > d: t -= 1             ; ceil: if t < d: t += 1
     *   d = |t| | sign(d)
     * done:
     * </pre>
     */
    private static void roundWithoutSse41(X64Function fn, int x, Xmm d, boolean f64, RoundingMode mode) {
        X64Assembler asm = fn.asm;
        Xmm t = d == X64Function.FSCRATCH ? X64Function.FSCRATCH2 : X64Function.FSCRATCH;
        Width w = f64 ? Width.QWORD : Width.DWORD;
        long sign = f64 ? 1L << 63 : 0x8000_0000L;
        Label signMask = asm.constant128(sign, 0);
        Label absMask = asm.constant128(f64 ? ~sign : 0x7FFF_FFFFL, 0);
        Label negZero = f64 ? asm.constant64(sign) : asm.constant32((int) sign);
        Label limit = f64 ? asm.constant64(Double.doubleToRawLongBits(0x1p52)) : asm.constant32(Float.floatToRawIntBits(0x1p23f));
        Label one = f64 ? asm.constant64(Double.doubleToRawLongBits(1.0)) : asm.constant32(Float.floatToRawIntBits(1.0f));
        Label done = asm.newLabel();
        fn.fmov(d, x);
        asm.sse(f64 ? SseOp.ADDSD : SseOp.ADDSS, d, rip(negZero));
        asm.movaps(t, d);
        asm.sse(SseOp.ANDPS, t, rip(absMask));
        asm.sse(f64 ? SseOp.UCOMISD : SseOp.UCOMISS, t, rip(limit));
        asm.jcc(Condition.P, done);
        asm.jcc(Condition.AE, done);
        if (mode == RoundingMode.NEAREST) {
            if (f64) asm.cvtsd2si(w, Gpr.RAX, d);
            else asm.cvtss2si(w, Gpr.RAX, d);
        } else {
            if (f64) asm.cvttsd2si(w, Gpr.RAX, d);
            else asm.cvttss2si(w, Gpr.RAX, d);
        }
        if (f64) asm.cvtsi2sd(w, t, Gpr.RAX);
        else asm.cvtsi2ss(w, t, Gpr.RAX);
        if (mode == RoundingMode.FLOOR || mode == RoundingMode.CEIL) {
            Label exact = asm.newLabel();
            SseOp ucomi = f64 ? SseOp.UCOMISD : SseOp.UCOMISS;
            if (mode == RoundingMode.FLOOR) asm.sse(ucomi, t, d); // t > d: truncation went up
            else asm.sse(ucomi, d, t);                         // d > t: truncation went down
            asm.jcc(Condition.BE, exact);
            SseOp step = mode == RoundingMode.FLOOR ? (f64 ? SseOp.SUBSD : SseOp.SUBSS) : (f64 ? SseOp.ADDSD : SseOp.ADDSS);
            asm.sse(step, t, rip(one));
            asm.bind(exact);
        }
        asm.sse(SseOp.ANDPS, t, rip(absMask));
        asm.sse(SseOp.ANDPS, d, rip(signMask));
        asm.sse(SseOp.ORPS, d, t);
        asm.bind(done);
    }

    /** A bitwise operation with a constant mask in every lane (abs, neg). */
    private static void mask(X64Function fn, Instruction i, SseOp op, long lane) {
        X64Assembler asm = fn.asm;
        Xmm dst = fn.fdst(i.result(), X64Function.FSCRATCH);
        fn.fmov(dst, i.arg(0));
        long both = op == SseOp.ANDPS || op == SseOp.XORPS ? lane | lane << 32 : lane;
        asm.sse(op, dst, rip(asm.constant128(both, both)));
        fn.fput(i.result(), dst);
    }

    private static void copysign(X64Function fn, Instruction i, boolean d) {
        X64Assembler asm = fn.asm;
        long sign = d ? 1L << 63 : 0x8000_0000_8000_0000L;
        Xmm t = X64Function.FSCRATCH, s = X64Function.FSCRATCH2;
        fn.fmov(t, i.arg(0));
        fn.fmov(s, i.arg(1));
        asm.sse(SseOp.ANDPS, t, rip(asm.constant128(~sign, ~sign))); // t = a without its sign
        asm.sse(SseOp.ANDPS, s, rip(asm.constant128(sign, sign)));   // s = b's sign only
        asm.sse(SseOp.ORPS, t, s);
        fn.fput(i.result(), t);
    }

    /**
     * min/max: NaN when either operand is NaN; for equal operands (including -0 and +0) the
     * bitwise or (min, so -0 wins) or and (max, so +0 wins); otherwise minss/maxss.
     */
    private static void minMax(X64Function fn, Instruction i, boolean d, boolean min) {
        X64Assembler asm = fn.asm;
        Xmm t = X64Function.FSCRATCH;
        XmmOrMemory b = fn.fop(i.arg(1));
        fn.fmov(t, i.arg(0));
        Label nan = asm.newLabel(), notEqual = asm.newLabel(), done = asm.newLabel();
        asm.sse(d ? SseOp.UCOMISD : SseOp.UCOMISS, t, b);
        asm.jcc(Condition.P, nan);
        asm.jcc(Condition.NE, notEqual);
        asm.sse(min ? SseOp.ORPS : SseOp.ANDPS, t, fn.fget(i.arg(1), X64Function.FSCRATCH2));
        asm.jmp(done);
        asm.bind(notEqual);
        asm.sse(d ? (min ? SseOp.MINSD : SseOp.MAXSD) : (min ? SseOp.MINSS : SseOp.MAXSS), t, b);
        asm.jmp(done);
        asm.bind(nan);
        asm.sse(d ? SseOp.ADDSD : SseOp.ADDSS, t, b); // propagates a (quieted) NaN
        asm.bind(done);
        fn.fput(i.result(), t);
    }

    /** Sets the flags for a float comparison and returns the condition that is true exactly when it holds. */
    static Condition compareFlags(X64Function fn, Opcode op, int a, int b) {
        X64Assembler asm = fn.asm;
        SseOp ucomi = f64(op) ? SseOp.UCOMISD : SseOp.UCOMISS;
        String kind = op.mnemonic.substring(4);
        // lt/le are gt/ge with swapped operands: unordered (NaN) then leaves CF set and the result false
        boolean swap = kind.equals("lt") || kind.equals("le");
        int x = swap ? b : a, y = swap ? a : b;
        asm.sse(ucomi, fn.fget(x, X64Function.FSCRATCH), fn.fop(y));
        return switch (kind) {
            case "gt", "lt" -> Condition.A;
            case "ge", "le" -> Condition.AE;
            default -> null; // eq / ne need the parity flag too
        };
    }

    private static void compare(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Condition c = compareFlags(fn, i.op, i.arg(0), i.arg(1));
        if (c != null) {
            X64IntegerLowering.setFlagResult(fn, i.result(), c);
            return;
        }
        boolean eq = i.op == Opcode.F32_EQ || i.op == Opcode.F64_EQ;
        asm.setcc(eq ? Condition.E : Condition.NE, Gpr.RAX);
        asm.setcc(eq ? Condition.NP : Condition.P, Gpr.RCX);
        asm.alu(eq ? AluOp.AND : AluOp.OR, Width.DWORD, Gpr.RAX, Gpr.RCX);
        Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
        asm.movzx(Width.DWORD, d, Width.BYTE, Gpr.RAX);
        fn.iput(i.result(), d);
    }
}
