package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;

import static dev.kiln.backend.x64.MemoryOperand.rip;

/**
 * Conversions between integers and floats and reinterpretations, with WebAssembly's rules:
 * trapping truncations trap with "invalid conversion" on NaN and "integer overflow" out of range;
 * saturating ones clamp (NaN to 0); unsigned 64-bit conversions round exactly once. x86's
 * cvtt* return the "integer indefinite" value (MIN) on any failure, so the slow path only runs
 * when that value comes back.
 */
final class X64ConversionLowering {
    private X64ConversionLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        switch (i.op) {
            case F64_PROMOTE_F32 -> floatToFloat(fn, i, SseOp.CVTSS2SD);
            case F32_DEMOTE_F64 -> floatToFloat(fn, i, SseOp.CVTSD2SS);
            case F32_CONVERT_I32_S -> intToFloat(fn, i, false, Width.DWORD);
            case F64_CONVERT_I32_S -> intToFloat(fn, i, true, Width.DWORD);
            case F32_CONVERT_I32_U, F32_CONVERT_I64_S -> intToFloat(fn, i, false, Width.QWORD); // u32 is zero-extended
            case F64_CONVERT_I32_U, F64_CONVERT_I64_S -> intToFloat(fn, i, true, Width.QWORD);
            case F32_CONVERT_I64_U -> unsigned64ToFloat(fn, i, false);
            case F64_CONVERT_I64_U -> unsigned64ToFloat(fn, i, true);
            case I32_REINTERPRET_F32, I64_REINTERPRET_F64 -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                boolean w64 = i.op == Opcode.I64_REINTERPRET_F64;
                if (fn.inRegister(i.arg(0))) {
                    if (w64) fn.asm.movq(d, (Xmm) fn.fop(i.arg(0)));
                    else fn.asm.movd(d, (Xmm) fn.fop(i.arg(0)));
                } else {
                    fn.asm.mov(w64 ? Width.QWORD : Width.DWORD, d, fn.slot(i.arg(0)));
                }
                fn.iput(i.result(), d);
            }
            case F32_REINTERPRET_I32, F64_REINTERPRET_I64 -> {
                Xmm d = fn.fdst(i.result(), X64Function.FSCRATCH);
                if (i.op == Opcode.F64_REINTERPRET_I64) fn.asm.movq(d, fn.iop(i.arg(0)));
                else fn.asm.movd(d, fn.iop(i.arg(0)));
                fn.fput(i.result(), d);
            }
            case I32_TRUNC_F32_S, I32_TRUNC_F64_S, I64_TRUNC_F32_S, I64_TRUNC_F64_S,
                 I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F64_S, I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_S -> truncSigned(fn, i);
            case I32_TRUNC_F32_U, I32_TRUNC_F64_U, I32_TRUNC_SAT_F32_U, I32_TRUNC_SAT_F64_U -> truncUnsigned32(fn, i);
            case I64_TRUNC_F32_U, I64_TRUNC_F64_U, I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_U -> truncUnsigned64(fn, i);
            default -> throw new IllegalStateException("no x86-64 lowering for " + i.op);
        }
    }

    private static void floatToFloat(X64Function fn, Instruction i, SseOp op) {
        Xmm d = fn.fdst(i.result(), X64Function.FSCRATCH);
        fn.asm.sse(op, d, fn.fop(i.arg(0)));
        fn.fput(i.result(), d);
    }

    private static void intToFloat(X64Function fn, Instruction i, boolean toF64, Width srcWidth) {
        Xmm d = fn.fdst(i.result(), X64Function.FSCRATCH);
        fn.asm.sse(SseOp.XORPS, d, d); // no false dependency on d's old value
        if (toF64) fn.asm.cvtsi2sd(srcWidth, d, fn.iop(i.arg(0)));
        else fn.asm.cvtsi2ss(srcWidth, d, fn.iop(i.arg(0)));
        fn.fput(i.result(), d);
    }

    /** u64 to float: direct when the sign bit is clear, else halve with the lost bit kept sticky, convert, double. */
    private static void unsigned64ToFloat(X64Function fn, Instruction i, boolean toF64) {
        X64Assembler asm = fn.asm;
        Xmm d = X64Function.FSCRATCH;
        Gpr x = Gpr.RAX;
        asm.mov(Width.QWORD, x, fn.iop(i.arg(0)));
        asm.sse(SseOp.XORPS, d, d);
        Label big = asm.newLabel(), done = asm.newLabel();
        asm.test(Width.QWORD, x, x);
        asm.jcc(Condition.S, big);
        if (toF64) asm.cvtsi2sd(Width.QWORD, d, x);
        else asm.cvtsi2ss(Width.QWORD, d, x);
        asm.jmp(done);
        asm.bind(big);
        asm.mov(Width.QWORD, Gpr.RCX, x);
        asm.shift(ShiftOp.SHR, Width.QWORD, Gpr.RCX, 1);
        asm.alu(AluOp.AND, Width.DWORD, x, 1);
        asm.alu(AluOp.OR, Width.QWORD, Gpr.RCX, x);
        if (toF64) {
            asm.cvtsi2sd(Width.QWORD, d, Gpr.RCX);
            asm.sse(SseOp.ADDSD, d, d);
        } else {
            asm.cvtsi2ss(Width.QWORD, d, Gpr.RCX);
            asm.sse(SseOp.ADDSS, d, d);
        }
        asm.bind(done);
        fn.fput(i.result(), d);
    }

    private static boolean fromF64(Opcode op) {
        return op.mnemonic.contains("f64");
    }

    private static boolean toI64(Opcode op) {
        return op.mnemonic.startsWith("i64");
    }

    private static boolean saturating(Opcode op) {
        return op.mnemonic.contains("_sat_");
    }

    /** A float constant of the source's width, RIP-relative. */
    private static MemoryOperand bound(X64Assembler asm, boolean f64, double value) {
        return rip(f64 ? asm.constant64(Double.doubleToRawLongBits(value)) : asm.constant32(Float.floatToRawIntBits((float) value)));
    }

    private static void cvtt(X64Assembler asm, boolean f64, Width w, Gpr d, XmmOrMemory src) {
        if (f64) asm.cvttsd2si(w, d, src);
        else asm.cvttss2si(w, d, src);
    }

    private static void signedTruncationSlowPath(X64Function fn, Instruction i, Xmm x, boolean f64, boolean i64, Gpr d,
                                                 Label done) {
        X64Assembler asm = fn.asm;
        SseOp ucomi = f64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        double min = i64 ? -9223372036854775808.0 : -2147483648.0;
        double limit = i64 ? 9223372036854775808.0 : 2147483648.0;
        if (saturating(i.op)) {
            asm.sse(ucomi, x, x);
            Label notNan = asm.newLabel();
            asm.jcc(Condition.NP, notNan);
            asm.alu(AluOp.XOR, Width.DWORD, d, d); // NaN -> 0
            asm.jmp(done);
            asm.bind(notNan);
            asm.sse(ucomi, x, bound(asm, f64, 0.0));
            asm.jcc(Condition.B, done); // negative: the indefinite value MIN is the saturated result
            if (i64) asm.mov(Width.QWORD, d, Long.MAX_VALUE);
            else asm.mov(Width.DWORD, d, Integer.MAX_VALUE);
            asm.jmp(done);
        } else {
            asm.sse(ucomi, x, x);
            asm.jcc(Condition.P, fn.trap(TrapKind.INVALID_CONVERSION, i.wasmOffset));
            // MIN came back: valid only when x truncates to MIN exactly
            if (!i64 && f64) {
                asm.sse(ucomi, x, bound(asm, true, -2147483649.0));
                asm.jcc(Condition.BE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            } else {
                asm.sse(ucomi, x, bound(asm, f64, min));
                asm.jcc(Condition.B, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            }
            asm.sse(ucomi, x, bound(asm, f64, limit));
            asm.jcc(Condition.AE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            asm.jmp(done);
        }
    }

    private static void truncSigned(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        boolean f64 = fromF64(i.op), i64 = toI64(i.op);
        Width w = i64 ? Width.QWORD : Width.DWORD;
        Xmm x = fn.fget(i.arg(0), X64Function.FSCRATCH);
        Gpr d = Gpr.RAX;
        cvtt(asm, f64, w, d, x);
        Label slow = asm.newLabel(), done = asm.newLabel();
        asm.alu(AluOp.CMP, w, d, 1); // overflows exactly when d is MIN, the indefinite value
        asm.jcc(Condition.O, slow);
        asm.bind(done);
        if (w == Width.DWORD) asm.mov(Width.DWORD, d, d);
        fn.iput(i.result(), d);
        Label after = asm.newLabel();
        asm.jmp(after);
        asm.bind(slow);
        signedTruncationSlowPath(fn, i, x, f64, i64, d, done);
        asm.bind(after);
    }

    /** To u32: range-check, then a 64-bit signed conversion (exact for the whole u32 range). */
    private static void truncUnsigned32(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        boolean f64 = fromF64(i.op);
        SseOp ucomi = f64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        Xmm x = fn.fget(i.arg(0), X64Function.FSCRATCH);
        Gpr d = Gpr.RAX;
        Label done = asm.newLabel();
        if (saturating(i.op)) {
            asm.alu(AluOp.XOR, Width.DWORD, d, d);
            asm.sse(ucomi, x, bound(asm, f64, -1.0));
            asm.jcc(Condition.BE, done); // NaN (unordered sets CF and ZF) or x <= -1: 0
            asm.mov(Width.DWORD, d, 0xFFFF_FFFFL);
            asm.sse(ucomi, x, bound(asm, f64, 4294967296.0));
            asm.jcc(Condition.AE, done);
            cvtt(asm, f64, Width.QWORD, d, x);
        } else {
            asm.sse(ucomi, x, x);
            asm.jcc(Condition.P, fn.trap(TrapKind.INVALID_CONVERSION, i.wasmOffset));
            asm.sse(ucomi, x, bound(asm, f64, -1.0));
            asm.jcc(Condition.BE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            asm.sse(ucomi, x, bound(asm, f64, 4294967296.0));
            asm.jcc(Condition.AE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            cvtt(asm, f64, Width.QWORD, d, x);
        }
        asm.bind(done);
        asm.mov(Width.DWORD, d, d);
        fn.iput(i.result(), d);
    }

    /** To u64: below 2^63 convert directly, else subtract 2^63 first and set the top bit after. */
    private static void truncUnsigned64(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        boolean f64 = fromF64(i.op);
        SseOp ucomi = f64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        Xmm x = X64Function.FSCRATCH;
        fn.fmov(x, i.arg(0));
        Gpr d = Gpr.RAX;
        Label done = asm.newLabel(), high = asm.newLabel();
        if (saturating(i.op)) {
            asm.alu(AluOp.XOR, Width.DWORD, d, d);
            asm.sse(ucomi, x, bound(asm, f64, -1.0));
            asm.jcc(Condition.BE, done); // NaN or x <= -1: 0
            asm.mov(Width.QWORD, d, -1L);
            asm.sse(ucomi, x, bound(asm, f64, 18446744073709551616.0));
            asm.jcc(Condition.AE, done);
        } else {
            asm.sse(ucomi, x, x);
            asm.jcc(Condition.P, fn.trap(TrapKind.INVALID_CONVERSION, i.wasmOffset));
            asm.sse(ucomi, x, bound(asm, f64, -1.0));
            asm.jcc(Condition.BE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            asm.sse(ucomi, x, bound(asm, f64, 18446744073709551616.0));
            asm.jcc(Condition.AE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
        }
        asm.sse(ucomi, x, bound(asm, f64, 9223372036854775808.0));
        asm.jcc(Condition.AE, high);
        cvtt(asm, f64, Width.QWORD, d, x);
        asm.jmp(done);
        asm.bind(high);
        asm.sse(f64 ? SseOp.SUBSD : SseOp.SUBSS, x, bound(asm, f64, 9223372036854775808.0));
        cvtt(asm, f64, Width.QWORD, d, x);
        asm.movabs(Gpr.RCX, Long.MIN_VALUE);
        asm.alu(AluOp.XOR, Width.QWORD, d, Gpr.RCX);
        asm.bind(done);
        fn.iput(i.result(), d);
    }
}
