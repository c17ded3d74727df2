package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;

/**
 * f32/f64 arithmetic, min/max, sign operations, rounding and comparisons with WebAssembly's
 * semantics, most of them single A64 instructions: FMIN/FMAX return NaN for any NaN operand and
 * order -0 below +0 (Wasm's min/max); FABS/FNEG/copysign only touch the sign bit (NaN payloads
 * survive); FRINTP/FRINTM/FRINTZ/FRINTN are ceil, floor, trunc and nearest (ties to even); FCMP
 * sets the flags so that an unordered result makes every comparison but {@code ne} false with the
 * conditions chosen here (EQ, NE, MI, LS, GT, GE).
 */
final class A64FloatLowering {
    private A64FloatLowering() {
    }

    static boolean handles(Opcode op) {
        String m = op.mnemonic;
        if (!(m.startsWith("f32.") || m.startsWith("f64."))) return false;
        return !m.contains("convert") && !m.contains("demote") && !m.contains("promote") && !m.contains("reinterpret");
    }

    static void lower(A64Function fn, Instruction i) {
        Opcode op = i.op;
        switch (op) {
            case F32_ADD, F64_ADD -> binary(fn, i, FloatBinaryOp.FADD);
            case F32_SUB, F64_SUB -> binary(fn, i, FloatBinaryOp.FSUB);
            case F32_MUL, F64_MUL -> binary(fn, i, FloatBinaryOp.FMUL);
            case F32_DIV, F64_DIV -> binary(fn, i, FloatBinaryOp.FDIV);
            case F32_MIN, F64_MIN -> binary(fn, i, FloatBinaryOp.FMIN);
            case F32_MAX, F64_MAX -> binary(fn, i, FloatBinaryOp.FMAX);
            case F32_SQRT, F64_SQRT -> unary(fn, i, FloatUnaryOp.FSQRT);
            case F32_CEIL, F64_CEIL -> unary(fn, i, FloatUnaryOp.FRINTP);
            case F32_FLOOR, F64_FLOOR -> unary(fn, i, FloatUnaryOp.FRINTM);
            case F32_TRUNC, F64_TRUNC -> unary(fn, i, FloatUnaryOp.FRINTZ);
            case F32_NEAREST, F64_NEAREST -> unary(fn, i, FloatUnaryOp.FRINTN);
            case F32_ABS, F64_ABS -> unary(fn, i, FloatUnaryOp.FABS);
            case F32_NEG, F64_NEG -> unary(fn, i, FloatUnaryOp.FNEG);
            case F32_COPYSIGN, F64_COPYSIGN -> copysign(fn, i, op == Opcode.F64_COPYSIGN);
            case F32_EQ, F64_EQ, F32_NE, F64_NE, F32_LT, F64_LT, F32_GT, F64_GT, F32_LE, F64_LE, F32_GE, F64_GE -> {
                Condition c = compareFlags(fn, op, i.arg(0), i.arg(1));
                A64IntegerLowering.setFlagResult(fn, i.result(), c);
            }
            default -> throw new IllegalStateException("not a float operation: " + op);
        }
    }

    private static void binary(A64Function fn, Instruction i, FloatBinaryOp op) {
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
        VectorRegister b = fn.fget(i.arg(1), FSCRATCH2);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        fn.asm.floatBinary(op, d, a, b);
        fn.fput(i.result(), d);
    }

    private static void unary(A64Function fn, Instruction i, FloatUnaryOp op) {
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        fn.asm.floatUnary(op, d, a);
        fn.fput(i.result(), d);
    }

    /** The magnitude bits of a with the sign bit of b, through general registers (BFXIL keeps b's sign). */
    private static void copysign(A64Function fn, Instruction i, boolean f64) {
        A64Assembler asm = fn.asm;
        VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
        VectorRegister b = fn.fget(i.arg(1), FSCRATCH2);
        GeneralRegister x = SCRATCH.view(f64), y = SCRATCH2.view(f64);
        asm.fmov(x, b);
        asm.fmov(y, a);
        asm.bfxil(x, y, 0, f64 ? 63 : 31);
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        asm.fmov(d, x);
        fn.fput(i.result(), d);
    }

    /** Sets the flags for a float comparison and returns the condition that holds exactly when it is true. */
    static Condition compareFlags(A64Function fn, Opcode op, int a, int b) {
        VectorRegister x = fn.fget(a, FSCRATCH);
        VectorRegister y = fn.fget(b, FSCRATCH2);
        fn.asm.fcmp(x, y);
        return switch (op.mnemonic.substring(4)) {
            case "eq" -> Condition.EQ;
            case "ne" -> Condition.NE;
            case "lt" -> Condition.MI;
            case "le" -> Condition.LS;
            case "gt" -> Condition.GT;
            case "ge" -> Condition.GE;
            default -> throw new IllegalStateException("not a float comparison: " + op);
        };
    }
}
