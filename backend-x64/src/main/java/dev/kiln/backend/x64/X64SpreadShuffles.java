package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The i8x16.shuffles of one source whose only use is a 32-to-64-bit extmul later in their block
 * ({@code i64x2.extmul_low/high_i32x4_s/u}). pmuldq/pmuludq multiply the even dwords, so the extmul
 * spreads its two dwords into lanes 0 and 2 (a pshufd); such a shuffle makes that spread itself, in
 * the one instruction it emits anyway (its result is then the spread vector, which only the extmul
 * reads), and the extmul uses it as it is. When the composed pattern leaves lanes 0 and 2 where
 * they are, the shuffle is a move (nothing when the allocator gave both the same register):
 * {@code extmul_low(shuffle(x, 0 2 _ _), shuffle(x, 1 3 _ _))}, XXH3's multiply, becomes one pshufd
 * and the multiply instead of four pshufd and the multiply.
 */
final class X64SpreadShuffles {
    /** The dwords an extmul takes to lanes 0 and 2 (and 1 and 3, which pmuludq ignores): low 0,0,1,1; high 2,2,3,3. */
    private static final int SPREAD_LOW = 0x50, SPREAD_HIGH = 0xFA;

    /** Result value of each fused shuffle, to the spread its extmul needs. */
    private final Map<Integer, Integer> spreadOf = new HashMap<>();

    X64SpreadShuffles(IrFunction f, IntUnaryOperator uses) {
        for (BasicBlock b : f.blocks) {
            Map<Integer, Instruction> shuffles = new HashMap<>();
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.I8X16_SHUFFLE && uses.applyAsInt(i.result()) == 1 && oneSource(i)) shuffles.put(i.result(), i);
                int spread = spread(i.op);
                if (spread < 0) continue;
                for (int a : i.args()) if (shuffles.containsKey(a)) spreadOf.put(a, spread);
            }
        }
    }

    /** The spread a 32-to-64-bit extmul makes of its operands (a pshufd selector), or -1 for another instruction. */
    static int spread(Opcode op) {
        return switch (op) {
            case I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U -> SPREAD_LOW;
            case I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_U -> SPREAD_HIGH;
            default -> -1;
        };
    }

    /** True when every index picks from the same vector (both operands the same value, or all indices below or above 16). */
    private static boolean oneSource(Instruction shuffle) {
        if (shuffle.arg(0) == shuffle.arg(1)) return true;
        boolean a = false, b = false;
        for (int k = 0; k < 16; k++) {
            int idx = (int) ((k < 8 ? shuffle.imm : shuffle.imm2()) >>> (8 * (k % 8))) & 0xFF;
            if (idx < 16) a = true;
            else b = true;
        }
        return !(a && b);
    }

    /** The spread (a pshufd selector) the shuffle defining {@code value} makes for its extmul, or -1 when it is not fused. */
    int spreadOf(int value) {
        return spreadOf.getOrDefault(value, -1);
    }

    /**
     * The byte indices of {@code idx} followed by the dword selector {@code spread}, the lanes
     * pmuludq ignores (1 and 3) copied from lanes 0 and 2 so that a dword pattern stays one.
     */
    static int[] compose(int[] idx, int spread) {
        int[] out = new int[16];
        for (int lane = 0; lane < 4; lane++) {
            int from = spread >>> (2 * (lane & ~1)) & 3; // lane 1 takes lane 0's source, lane 3 lane 2's
            for (int k = 0; k < 4; k++) out[4 * lane + k] = idx[4 * from + k];
        }
        return out;
    }

    /** True when the even dwords of {@code idx} are already in place: the spread shuffle is a move. */
    static boolean evenLanesInPlace(int[] idx) {
        for (int k = 0; k < 4; k++) if (idx[k] != k || idx[8 + k] != 8 + k) return false;
        return true;
    }
}
