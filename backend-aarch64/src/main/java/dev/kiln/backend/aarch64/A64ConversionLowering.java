package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;

/**
 * Conversions between integers and floats and reinterpretations, with WebAssembly's rules.
 * SCVTF/UCVTF round once, as Wasm requires (also from 64-bit integers). FCVTZS/FCVTZU truncate
 * toward zero and saturate (NaN gives 0), which is exactly the {@code trunc_sat} family; the
 * trapping truncations first trap with "invalid conversion" on NaN and "integer overflow" when the
 * value lies outside the open interval of values that truncate into range.
 */
final class A64ConversionLowering {
    private A64ConversionLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        switch (i.op) {
            case F64_PROMOTE_F32, F32_DEMOTE_F64 -> {
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.fcvt(d, a);
                fn.fput(i.result(), d);
            }
            case F32_CONVERT_I32_S, F64_CONVERT_I32_S, F32_CONVERT_I64_S, F64_CONVERT_I64_S,
                 F32_CONVERT_I32_U, F64_CONVERT_I32_U, F32_CONVERT_I64_U, F64_CONVERT_I64_U -> {
                boolean from64 = i.op.mnemonic.endsWith("i64_s") || i.op.mnemonic.endsWith("i64_u");
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH).view(from64);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                if (i.op.mnemonic.endsWith("_s")) asm.scvtf(d, a);
                else asm.ucvtf(d, a);
                fn.fput(i.result(), d);
            }
            case I32_REINTERPRET_F32, I64_REINTERPRET_F64 -> {
                VectorRegister a = fn.fget(i.arg(0), FSCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.fmov(d.view(i.op == Opcode.I64_REINTERPRET_F64), a);
                fn.iput(i.result(), d);
            }
            case F32_REINTERPRET_I32, F64_REINTERPRET_I64 -> {
                boolean w64 = i.op == Opcode.F64_REINTERPRET_I64;
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH).view(w64);
                VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                asm.fmov(d, a);
                fn.fput(i.result(), d);
            }
            case I32_TRUNC_F32_S, I32_TRUNC_F64_S, I64_TRUNC_F32_S, I64_TRUNC_F64_S,
                 I32_TRUNC_F32_U, I32_TRUNC_F64_U, I64_TRUNC_F32_U, I64_TRUNC_F64_U,
                 I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F64_S, I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_S,
                 I32_TRUNC_SAT_F32_U, I32_TRUNC_SAT_F64_U, I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_U -> truncate(fn, i);
            default -> throw new IllegalStateException("no AArch64 lowering for " + i.op);
        }
    }

    private static void truncate(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        String m = i.op.mnemonic;
        boolean toI64 = m.startsWith("i64");
        boolean signed = m.endsWith("_s");
        boolean fromF64 = fn.type(i.arg(0)) == ValType.F64;
        VectorRegister x = fn.fget(i.arg(0), FSCRATCH);
        if (!m.contains("_sat_")) {
            asm.fcmp(x, x);
            asm.b(Condition.VS, fn.trap(TrapKind.INVALID_CONVERSION, i.wasmOffset));
            // below the range: x < -2^(n-1) (or x <= -2^31 - 1, exact in f64), or x <= -1 when unsigned
            VectorRegister bound = fromF64 ? FSCRATCH2.d() : FSCRATCH2.s();
            double low;
            Condition tooLow;
            if (!signed) {
                low = -1.0;
                tooLow = Condition.LS;
            } else if (!toI64 && fromF64) {
                low = -2147483649.0;
                tooLow = Condition.LS;
            } else {
                low = toI64 ? -9223372036854775808.0 : -2147483648.0;
                tooLow = Condition.MI;
            }
            double high = signed ? (toI64 ? 9223372036854775808.0 : 2147483648.0)
                    : (toI64 ? 18446744073709551616.0 : 4294967296.0);
            asm.movFloat(bound, bits(low, fromF64));
            asm.fcmp(x, bound);
            asm.b(tooLow, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            asm.movFloat(bound, bits(high, fromF64));
            asm.fcmp(x, bound);
            asm.b(Condition.GE, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
        }
        GeneralRegister d = fn.idst(i.result(), SCRATCH);
        if (signed) asm.fcvtzs(d.view(toI64), x);
        else asm.fcvtzu(d.view(toI64), x);
        fn.iput(i.result(), d);
    }

    private static long bits(double v, boolean f64) {
        return f64 ? Double.doubleToRawLongBits(v) : Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
    }
}
