package dev.kiln.tests.fuzz.wasm;

/** The SIMD loads and stores of one lane ({@code v128.loadN_lane}, {@code v128.storeN_lane}): bytes accessed, opcode. */
public enum LaneOp {
    LOAD8_LANE("v128.load8_lane", 0xFD54, 1, false), LOAD16_LANE("v128.load16_lane", 0xFD55, 2, false),
    LOAD32_LANE("v128.load32_lane", 0xFD56, 4, false), LOAD64_LANE("v128.load64_lane", 0xFD57, 8, false),
    STORE8_LANE("v128.store8_lane", 0xFD58, 1, true), STORE16_LANE("v128.store16_lane", 0xFD59, 2, true),
    STORE32_LANE("v128.store32_lane", 0xFD5A, 4, true), STORE64_LANE("v128.store64_lane", 0xFD5B, 8, true);

    public final String wat;
    public final int opcode;
    public final int width;
    public final boolean store;

    LaneOp(String wat, int opcode, int width, boolean store) {
        this.wat = wat;
        this.opcode = opcode;
        this.width = width;
        this.store = store;
    }

    public int lanes() {
        return 16 / width;
    }

    public int maxAlignLog2() {
        return Integer.numberOfTrailingZeros(width);
    }
}
