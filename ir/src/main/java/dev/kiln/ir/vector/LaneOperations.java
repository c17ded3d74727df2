package dev.kiln.ir.vector;

import dev.kiln.frontend.Opcode;

/**
 * The whole-vector and lane operations of SIMD, the group each backend lowers in one place
 * ({@code X64SimdLanes}, {@code A64SimdLanes}): v128.const, shuffle, swizzle, splat, lane extraction
 * and replacement, bitmask, any_true and all_true.
 */
public final class LaneOperations {
    private LaneOperations() {
    }

    public static boolean contains(Opcode op) {
        String m = op.mnemonic;
        return op == Opcode.V128_CONST || op == Opcode.I8X16_SHUFFLE || op == Opcode.I8X16_SWIZZLE
                || op == Opcode.I8X16_RELAXED_SWIZZLE || op == Opcode.V128_ANY_TRUE || m.endsWith(".splat")
                || m.contains(".extract_lane") || m.contains(".replace_lane") || m.endsWith(".bitmask") || m.endsWith(".all_true");
    }
}
