package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Numerics;

/** Family {@link Families#INT}: integer instructions too rare for the dispatch loop (comparisons with a result, which are mostly fused into branches, among them), and the generic scalar fallback. */
final class IntegerOps {
    private static final Opcode[] OPCODES = Opcode.values();

    private IntegerOps() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp) {
        int d = fp + c[pc + 1];
        switch (op) {
            case Op.I32_DIV_S -> r[d] = Numerics.i32DivS(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_DIV_U -> r[d] = Numerics.i32DivU(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_REM_S -> r[d] = Numerics.i32RemS(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_REM_U -> r[d] = Numerics.i32RemU(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_ROTL -> r[d] = Integer.rotateLeft(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_ROTR -> r[d] = Integer.rotateRight(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3]));
            case Op.I32_CLZ -> r[d] = Integer.numberOfLeadingZeros(i(r, fp, c[pc + 2]));
            case Op.I32_CTZ -> r[d] = Integer.numberOfTrailingZeros(i(r, fp, c[pc + 2]));
            case Op.I32_POPCNT -> r[d] = Integer.bitCount(i(r, fp, c[pc + 2]));
            case Op.I64_DIV_S -> r[d] = Numerics.i64DivS(r[fp + c[pc + 2]], r[fp + c[pc + 3]]);
            case Op.I64_DIV_U -> r[d] = Numerics.i64DivU(r[fp + c[pc + 2]], r[fp + c[pc + 3]]);
            case Op.I64_REM_S -> r[d] = Numerics.i64RemS(r[fp + c[pc + 2]], r[fp + c[pc + 3]]);
            case Op.I64_REM_U -> r[d] = Numerics.i64RemU(r[fp + c[pc + 2]], r[fp + c[pc + 3]]);
            case Op.I64_ROTL -> r[d] = Long.rotateLeft(r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]);
            case Op.I64_ROTR -> r[d] = Long.rotateRight(r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]);
            case Op.I64_CLZ -> r[d] = Long.numberOfLeadingZeros(r[fp + c[pc + 2]]);
            case Op.I64_CTZ -> r[d] = Long.numberOfTrailingZeros(r[fp + c[pc + 2]]);
            case Op.I64_POPCNT -> r[d] = Long.bitCount(r[fp + c[pc + 2]]);
            case Op.I32_EQ -> r[d] = i(r, fp, c[pc + 2]) == i(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.I32_LT_S -> r[d] = i(r, fp, c[pc + 2]) < i(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.I32_NE -> r[d] = i(r, fp, c[pc + 2]) != i(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.I32_LT_U -> r[d] = Integer.compareUnsigned(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3])) < 0 ? 1 : 0;
            case Op.I32_LE_S -> r[d] = i(r, fp, c[pc + 2]) <= i(r, fp, c[pc + 3]) ? 1 : 0;
            case Op.I32_LE_U -> r[d] = Integer.compareUnsigned(i(r, fp, c[pc + 2]), i(r, fp, c[pc + 3])) <= 0 ? 1 : 0;
            case Op.I64_SHR_S -> r[d] = r[fp + c[pc + 2]] >> r[fp + c[pc + 3]];
            case Op.I64_NE -> r[d] = r[fp + c[pc + 2]] != r[fp + c[pc + 3]] ? 1 : 0;
            case Op.I64_LT_U -> r[d] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) < 0 ? 1 : 0;
            case Op.I64_LE_S -> r[d] = r[fp + c[pc + 2]] <= r[fp + c[pc + 3]] ? 1 : 0;
            case Op.I64_LE_U -> r[d] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) <= 0 ? 1 : 0;
            case Op.I64_SHR_S_IMM -> r[d] = r[fp + c[pc + 2]] >> c[pc + 3];
            case Op.I64_MUL_IMM -> r[d] = r[fp + c[pc + 2]] * c[pc + 3];
            case Op.I64_OR_IMM -> r[d] = r[fp + c[pc + 2]] | c[pc + 3];
            case Op.I64_XOR_IMM -> r[d] = r[fp + c[pc + 2]] ^ c[pc + 3];
            case Op.GENERIC1 -> r[fp + c[pc + 2]] = Numerics.eval(OPCODES[c[pc + 1]], r[fp + c[pc + 3]], 0);
            case Op.GENERIC2 -> r[fp + c[pc + 2]] = Numerics.eval(OPCODES[c[pc + 1]], r[fp + c[pc + 3]], r[fp + c[pc + 4]]);
            default -> throw Families.badOpcode(op, pc);
        }
        return pc + Op.length(op);
    }

    private static int i(long[] r, int fp, int slot) {
        return (int) r[fp + slot];
    }
}
