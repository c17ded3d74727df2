package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Unsigned 32-bit division and remainder by a constant without a divide instruction (native code
 * only: {@link Preparation#forBackend}; a hardware divide takes tens of cycles, this a multiply and
 * shifts). {@code i32.div_u x, d} and {@code i32.rem_u x, d} with a constant {@code d != 0}:
 * <ul>
 *   <li>{@code d = 2^s}: {@code x >>> s}, and {@code x & (d - 1)} for the remainder;</li>
 *   <li>else the quotient is {@code floor(x * m / 2^k)} with {@code m = ceil(2^k / d)}, computed in
 *       64-bit arithmetic on the zero-extended {@code x}: the smallest {@code k >= 32} whose error
 *       {@code e = m*d - 2^k} satisfies {@code e * 2^32 <= 2^k} while {@code m < 2^32} gives
 *       {@code (x * m) >>> k}; when none does, {@code k = 32 + ceil(log2 d)} (so {@code 2^32 < m < 2^33})
 *       and {@code (((x * (m - 2^32)) >>> 32) + x) >>> (k - 32)} keeps every product below 2^64.
 *       Exact for every x below 2^32: {@code x*m/2^k = x/d + x*e/(d*2^k)} and the added error is
 *       below {@code 1/d}, too little to reach the next integer. The remainder is {@code x - q*d}.</li>
 * </ul>
 * Only instructions are added inside a block, no blocks, so block layouts (loop headers, OSR
 * entries) stay those of the interpreter's IR. Signed and 64-bit division are left to the divide
 * instruction.
 */
public final class ConstantDivision implements Pass {
    @Override
    public String name() {
        return "constant-division";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean divides = false;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) divides |= i.op == Opcode.I32_DIV_U || i.op == Opcode.I32_REM_U;
        }
        if (!divides) return false; // no array per value for a function that has nothing to do
        Long[] constant = new Long[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) if (i.op == Opcode.I32_CONST) constant[i.result()] = i.imm & 0xFFFF_FFFFL;
        }
        boolean changed = false;
        for (BasicBlock b : f.blocks) {
            List<Instruction> out = new ArrayList<>(b.instructions.size());
            for (Instruction i : b.instructions) {
                Long d = i.op == Opcode.I32_DIV_U || i.op == Opcode.I32_REM_U ? constant[i.arg(1)] : null;
                if (d == null || d == 0) {
                    out.add(i);
                    continue;
                }
                new Expansion(f, out, i).expand(d);
                changed = true;
            }
            if (changed) {
                b.instructions.clear();
                b.instructions.addAll(out);
            }
        }
        return changed;
    }

    /** The instructions replacing one division {@code i} by {@code d}, appended to {@code out}. */
    private record Expansion(IrFunction f, List<Instruction> out, Instruction i) {
        void expand(long d) {
            int x = i.arg(0);
            boolean rem = i.op == Opcode.I32_REM_U;
            if (Long.bitCount(d) == 1) {
                int s = Long.numberOfTrailingZeros(d);
                if (rem) emit(Opcode.I32_AND, i.results(), x, i32(d - 1));
                else emit(Opcode.I32_SHR_U, i.results(), x, i32(s));
                return;
            }
            int wide = value(ValType.I64, Opcode.I64_EXTEND_I32_U, x);
            int quotient64 = quotient(wide, d);
            if (!rem) {
                emit(Opcode.I32_WRAP_I64, i.results(), quotient64);
                return;
            }
            int q = value(ValType.I32, Opcode.I32_WRAP_I64, quotient64);
            int product = value(ValType.I32, Opcode.I32_MUL, q, i.arg(1));
            emit(Opcode.I32_SUB, i.results(), x, product);
        }

        /** {@code floor(wide / d)} as an i64 value, for {@code wide < 2^32} and d not a power of two. */
        private int quotient(int wide, long d) {
            for (int k = 32; k < 64; k++) {
                long m = Long.divideUnsigned(1L << k, d) + 1; // d is no power of two: 2^k/d is no integer
                if (m >= 1L << 32) break;
                long e = m * d - (1L << k);
                if (e <= 1L << (k - 32)) return shiftRight(value(ValType.I64, Opcode.I64_MUL, wide, i64(m)), k);
            }
            int l = 64 - Long.numberOfLeadingZeros(d - 1); // ceil(log2 d), 2..32
            // m = ceil(2^(32+l) / d) - 2^32, from 2^(32+l) / d = 2^32 * (2^l / d)
            long low = Long.divideUnsigned(-1L >>> (32 - l), d); // floor((2^(32+l) - 1) / d) = floor(2^(32+l) / d)
            long m = low + 1 - (1L << 32);
            int high = shiftRight(value(ValType.I64, Opcode.I64_MUL, wide, i64(m)), 32);
            return shiftRight(value(ValType.I64, Opcode.I64_ADD, high, wide), l);
        }

        private int shiftRight(int v, int s) {
            return value(ValType.I64, Opcode.I64_SHR_U, v, i64(s));
        }

        private int i32(long v) {
            return constant(ValType.I32, Opcode.I32_CONST, (int) v);
        }

        private int i64(long v) {
            return constant(ValType.I64, Opcode.I64_CONST, v);
        }

        private int constant(ValType t, Opcode op, long imm) {
            int r = f.newValue(t);
            out.add(new Instruction(op, new int[0], new int[] {r}, imm, 0, i.wasmOffset));
            return r;
        }

        private int value(ValType t, Opcode op, int... args) {
            int r = f.newValue(t);
            emit(op, new int[] {r}, args);
            return r;
        }

        private void emit(Opcode op, int[] results, int... args) {
            out.add(new Instruction(op, args, results, 0, 0, i.wasmOffset));
        }
    }
}
