package dev.kiln.interpreter;

import dev.kiln.ir.Numerics;

/** Family {@link Families#FLOAT}: float instructions too rare for the dispatch loop. f32/f64 values are raw bits in slots. */
final class FloatOps {
    private FloatOps() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp) {
        int d = fp + c[pc + 1];
        switch (op) {
            case Op.F32_DIV -> r[d] = Float.floatToRawIntBits(f(r, fp, c[pc + 2]) / f(r, fp, c[pc + 3]));
            case Op.F32_ADD -> r[d] = Float.floatToRawIntBits(f(r, fp, c[pc + 2]) + f(r, fp, c[pc + 3]));
            case Op.F32_SUB -> r[d] = Float.floatToRawIntBits(f(r, fp, c[pc + 2]) - f(r, fp, c[pc + 3]));
            case Op.F32_MUL -> r[d] = Float.floatToRawIntBits(f(r, fp, c[pc + 2]) * f(r, fp, c[pc + 3]));
            case Op.F64_EQ -> r[d] = d(r, fp, c[pc + 2]) == d(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F64_NE -> r[d] = d(r, fp, c[pc + 2]) != d(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F64_LT -> r[d] = d(r, fp, c[pc + 2]) < d(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F64_LE -> r[d] = d(r, fp, c[pc + 2]) <= d(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F32_EQ -> r[d] = f(r, fp, c[pc + 2]) == f(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F32_NE -> r[d] = f(r, fp, c[pc + 2]) != f(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F32_LT -> r[d] = f(r, fp, c[pc + 2]) < f(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F32_LE -> r[d] = f(r, fp, c[pc + 2]) <= f(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.F32_NEG -> r[d] = (int) r[fp + c[pc + 2]] ^ 0x8000_0000;
            case Op.F64_NEG -> r[d] = r[fp + c[pc + 2]] ^ 0x8000_0000_0000_0000L;
            case Op.F32_ABS -> r[d] = (int) r[fp + c[pc + 2]] & 0x7FFF_FFFF;
            case Op.F64_ABS -> r[d] = r[fp + c[pc + 2]] & 0x7FFF_FFFF_FFFF_FFFFL;
            case Op.F64_SQRT -> r[d] = Numerics.f64Sqrt(r[fp + c[pc + 2]]);
            case Op.F32_SQRT -> r[d] = Numerics.f32Sqrt((int) r[fp + c[pc + 2]]);
            case Op.F64_CONVERT_I32_S -> r[d] = Double.doubleToRawLongBits((int) r[fp + c[pc + 2]]);
            case Op.F64_PROMOTE_F32 -> r[d] = Numerics.f64Promote((int) r[fp + c[pc + 2]]);
            default -> throw Families.badOpcode(op, pc);
        }
        return pc + Op.length(op);
    }

    private static double d(long[] r, int fp, int slot) {
        return Double.longBitsToDouble(r[fp + slot]);
    }

    private static float f(long[] r, int fp, int slot) {
        return Float.intBitsToFloat((int) r[fp + slot]);
    }
}
