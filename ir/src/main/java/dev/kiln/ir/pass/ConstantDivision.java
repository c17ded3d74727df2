package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Division and remainder by a constant without a divide instruction (native code only:
 * {@link Preparation#forBackend}; a hardware divide takes tens of cycles, this a multiply and
 * shifts), for {@code i32} and {@code i64}, signed and unsigned, with a constant divisor
 * {@code d} other than 0 (the divide keeps its trap) and, signed, other than -1 (the divide keeps
 * its overflow trap on MIN / -1). Every remainder is {@code x - q*d} from the quotient q.
 * <ul>
 *   <li>Unsigned, {@code d = 2^s}: {@code x >>> s}, and {@code x & (d - 1)} for the remainder.</li>
 *   <li>{@code i32.div_u}: the quotient is {@code floor(x * m / 2^k)} with {@code m = ceil(2^k / d)},
 *       computed in 64-bit arithmetic on the zero-extended {@code x}: the smallest {@code k >= 32}
 *       whose error {@code e = m*d - 2^k} satisfies {@code e * 2^32 <= 2^k} while {@code m < 2^32}
 *       gives {@code (x * m) >>> k}; when none does, {@code k = 32 + ceil(log2 d)} (so
 *       {@code 2^32 < m < 2^33}) and {@code (((x * (m - 2^32)) >>> 32) + x) >>> (k - 32)} keeps every
 *       product below 2^64. Exact for every x below 2^32: {@code x*m/2^k = x/d + x*e/(d*2^k)} and the
 *       added error is below {@code 1/d}, too little to reach the next integer.</li>
 *   <li>{@code i32.div_s}, {@code |d|} no power of two: with {@code c = ceil(log2 |d|)},
 *       {@code k = 31 + c} and {@code m = ceil(2^k / |d|) < 2^32}, the sign-extended {@code x} gives
 *       {@code floor(x * m / 2^k)} (an arithmetic shift; {@code |x * m| < 2^63}), which is
 *       {@code floor(x / |d|)} since {@code |x| * e < 2^31 * 2^c = 2^k}; adding 1 for negative
 *       {@code x} ({@code - (x >> 63)}) truncates toward zero instead, and a negative {@code d}
 *       negates the quotient.</li>
 *   <li>Signed, {@code |d| = 2^s}: {@code (x + ((x >> (W-1)) >>> (W-s))) >> s} (the bias rounds
 *       negative dividends toward zero), negated for negative {@code d}; {@code d = 1} is {@code x}.
 *       {@code d = MIN} is {@code s = W-1}.</li>
 *   <li>{@code i64.div_u}, d no power of two (Granlund and Montgomery, "Division by invariant
 *       integers using multiplication", fig. 4.1): with {@code l = ceil(log2 d)} and
 *       {@code m = floor(2^64 * (2^l - d) / d) + 1 < 2^64}, {@code t = mulhu(m, x)} and
 *       {@code q = (t + ((x - t) >>> 1)) >>> (l - 1)}, exact for every 64-bit x. There is no 64x64
 *       multiply-high instruction in the IR: {@code mulhu} is four 32x32-bit products and their
 *       carries.</li>
 *   <li>{@code i64.div_s}, {@code |d|} no power of two: the unsigned quotient of {@code |x|} (MIN's
 *       magnitude 2^63 is right as an unsigned number) by {@code |d|}, its sign then set to
 *       {@code sign(x) xor sign(d)} ({@code (q ^ s) - s}).</li>
 * </ul>
 * Only instructions are added inside a block, no blocks, so block layouts (loop headers, OSR
 * entries) stay those of the interpreter's IR.
 */
public final class ConstantDivision implements Pass {
    @Override
    public String name() {
        return "constant-division";
    }

    private static boolean isDivision(Opcode op) {
        return switch (op) {
            case I32_DIV_U, I32_REM_U, I32_DIV_S, I32_REM_S, I64_DIV_U, I64_REM_U, I64_DIV_S, I64_REM_S -> true;
            default -> false;
        };
    }

    @Override
    public boolean run(IrFunction f) {
        boolean divides = false;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) divides |= isDivision(i.op);
        }
        if (!divides) return false; // no array per value for a function that has nothing to do
        Long[] constant = new Long[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.I32_CONST) constant[i.result()] = (long) (int) i.imm;
                else if (i.op == Opcode.I64_CONST) constant[i.result()] = i.imm;
            }
        }
        boolean changed = false;
        for (BasicBlock b : f.blocks) {
            List<Instruction> out = new ArrayList<>(b.instructions.size());
            boolean blockChanged = false;
            for (Instruction i : b.instructions) {
                Long d = isDivision(i.op) ? constant[i.arg(1)] : null;
                boolean signed = d != null && i.op.mnemonic.endsWith("_s");
                if (d == null || d == 0 || signed && d == -1) {
                    out.add(i);
                    continue;
                }
                Expansion e = new Expansion(f, out, i, i.op.mnemonic.startsWith("i64"));
                if (signed) e.signed(d);
                else e.unsigned(e.wide ? d : d & 0xFFFF_FFFFL);
                blockChanged = true;
            }
            if (blockChanged) {
                b.instructions.clear();
                b.instructions.addAll(out);
                changed = true;
            }
        }
        return changed;
    }

    /** The instructions replacing one division {@code i} by a constant, appended to {@code out}; {@code wide} for i64. */
    private record Expansion(IrFunction f, List<Instruction> out, Instruction i, boolean wide) {
        private boolean remainder() {
            return i.op.mnemonic.contains("rem");
        }

        /** Unsigned division by {@code d} (the unsigned value, nonzero). */
        void unsigned(long d) {
            int x = i.arg(0);
            if (Long.bitCount(d) == 1) {
                int s = Long.numberOfTrailingZeros(d);
                if (remainder()) emit(op("and"), i.results(), x, constant(d - 1));
                else emit(op("shr_u"), i.results(), x, constant(s));
                return;
            }
            int q;
            if (wide) {
                q = unsignedQuotient64(x, d);
            } else {
                int quotient64 = quotient(value(ValType.I64, Opcode.I64_EXTEND_I32_U, x), d);
                if (!remainder()) {
                    emit(Opcode.I32_WRAP_I64, i.results(), quotient64);
                    return;
                }
                q = value(ValType.I32, Opcode.I32_WRAP_I64, quotient64);
            }
            finish(q);
        }

        /** Signed division by {@code d} (the signed value, not 0 or -1). */
        void signed(long d) {
            int x = i.arg(0);
            int width = wide ? 64 : 32;
            boolean negative = d < 0;
            long ad = Math.abs(d); // i64 MIN's magnitude stays MIN: 2^63 read unsigned (i32 MIN is sign-extended: 2^31)
            int q;
            if (Long.bitCount(ad) == 1) {
                int s = Long.numberOfTrailingZeros(ad);
                if (s == 0) {
                    q = value(type(), op("shr_s"), x, constant(0)); // d = 1: x itself
                } else {
                    int sign = value(type(), op("shr_s"), x, constant(width - 1));
                    int bias = value(type(), op("shr_u"), sign, constant(width - s));
                    q = value(type(), op("shr_s"), value(type(), op("add"), x, bias), constant(s));
                }
                if (negative) q = value(type(), op("sub"), constant(0), q);
            } else if (!wide) {
                int c = 64 - Long.numberOfLeadingZeros(ad - 1); // ceil(log2 |d|), 2..31
                int k = 31 + c;
                long m = Long.divideUnsigned(1L << k, ad) + 1; // |d| is no power of two: 2^k/|d| is no integer
                int extended = value(ValType.I64, Opcode.I64_EXTEND_I32_S, x);
                int floor = value(ValType.I64, Opcode.I64_SHR_S, value(ValType.I64, Opcode.I64_MUL, extended, i64(m)), i64(k));
                int sign = value(ValType.I64, Opcode.I64_SHR_S, extended, i64(63));
                int q64 = negative
                        ? value(ValType.I64, Opcode.I64_SUB, sign, floor) // -(floor - sign)
                        : value(ValType.I64, Opcode.I64_SUB, floor, sign);
                q = value(ValType.I32, Opcode.I32_WRAP_I64, q64);
            } else {
                int sign = value(ValType.I64, Opcode.I64_SHR_S, x, i64(63));
                int magnitude = value(ValType.I64, Opcode.I64_SUB, value(ValType.I64, Opcode.I64_XOR, x, sign), sign);
                int uq = unsignedQuotient64(magnitude, ad);
                int resultSign = negative ? value(ValType.I64, Opcode.I64_XOR, sign, i64(-1)) : sign;
                q = value(ValType.I64, Opcode.I64_SUB, value(ValType.I64, Opcode.I64_XOR, uq, resultSign), resultSign);
            }
            finish(q);
        }

        /** The result from the quotient {@code q}: q itself, or the remainder {@code x - q*d}. */
        private void finish(int q) {
            if (!remainder()) { // the instruction that computed q computes the division's result instead
                Instruction last = out.remove(out.size() - 1);
                if (last.resultCount() != 1 || last.result() != q) throw new IllegalStateException("the quotient is not the last value");
                out.add(new Instruction(last.op, last.args(), i.results(), last.imm, last.imm2(), last.wasmOffset));
                return;
            }
            int product = value(type(), op("mul"), q, i.arg(1));
            emit(op("sub"), i.results(), i.arg(0), product);
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

        /** {@code floor(x / d)} for an i64 value x read unsigned and d (unsigned) no power of two. */
        private int unsignedQuotient64(int x, long d) {
            BigInteger divisor = new BigInteger(Long.toUnsignedString(d));
            int l = 64 - Long.numberOfLeadingZeros(d - 1); // ceil(log2 d), 2..64
            long m = BigInteger.ONE.shiftLeft(64).multiply(BigInteger.ONE.shiftLeft(l).subtract(divisor)).divide(divisor)
                    .add(BigInteger.ONE).longValue(); // below 2^64: 2^l - d < d
            int t = mulhu(x, m);
            int half = shiftRight(value(ValType.I64, Opcode.I64_SUB, x, t), 1);
            return shiftRight(value(ValType.I64, Opcode.I64_ADD, t, half), l - 1);
        }

        /** The high 64 bits of the unsigned 128-bit product {@code x * m}, from four 32x32-bit products. */
        private int mulhu(int x, long m) {
            long ml = m & 0xFFFF_FFFFL, mh = m >>> 32;
            int low32 = i64(0xFFFF_FFFFL);
            int xl = value(ValType.I64, Opcode.I64_AND, x, low32);
            int xh = shiftRight(x, 32);
            int ll = value(ValType.I64, Opcode.I64_MUL, xl, i64(ml));
            if (mh == 0) { // x * m = xh*m * 2^32 + xl*m
                int cross = value(ValType.I64, Opcode.I64_MUL, xh, i64(ml));
                int column = value(ValType.I64, Opcode.I64_ADD, shiftRight(ll, 32), value(ValType.I64, Opcode.I64_AND, cross, low32));
                return value(ValType.I64, Opcode.I64_ADD, shiftRight(cross, 32), shiftRight(column, 32));
            }
            int lh = value(ValType.I64, Opcode.I64_MUL, xl, i64(mh));
            int hl = value(ValType.I64, Opcode.I64_MUL, xh, i64(ml));
            int hh = value(ValType.I64, Opcode.I64_MUL, xh, i64(mh));
            // the middle column: the low product's high half and the low halves of the cross products (< 3 * 2^32)
            int mid = value(ValType.I64, Opcode.I64_ADD, shiftRight(ll, 32),
                    value(ValType.I64, Opcode.I64_ADD, value(ValType.I64, Opcode.I64_AND, lh, low32),
                            value(ValType.I64, Opcode.I64_AND, hl, low32)));
            int high = value(ValType.I64, Opcode.I64_ADD, hh,
                    value(ValType.I64, Opcode.I64_ADD, shiftRight(lh, 32), shiftRight(hl, 32)));
            return value(ValType.I64, Opcode.I64_ADD, high, shiftRight(mid, 32));
        }

        private ValType type() {
            return wide ? ValType.I64 : ValType.I32;
        }

        /** The operation {@code name} ("add", "shr_u", ...) at this division's width. */
        private Opcode op(String name) {
            return Opcode.valueOf((wide ? "I64_" : "I32_") + name.toUpperCase());
        }

        private int shiftRight(int v, int s) {
            return value(ValType.I64, Opcode.I64_SHR_U, v, i64(s));
        }

        /** A constant at this division's width. */
        private int constant(long v) {
            return wide ? i64(v) : constant(ValType.I32, Opcode.I32_CONST, (int) v);
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
