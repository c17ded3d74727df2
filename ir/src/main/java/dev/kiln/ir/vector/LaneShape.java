package dev.kiln.ir.vector;

import dev.kiln.frontend.Opcode;

/**
 * How a SIMD instruction views a v128: its lane type and count, from the shape that prefixes the
 * mnemonic ({@code i8x16.add} is {@link #I8X16}); {@link #V128} for whole-vector instructions.
 */
public enum LaneShape {
    I8X16(8, 16, false),
    I16X8(16, 8, false),
    I32X4(32, 4, false),
    I64X2(64, 2, false),
    F32X4(32, 4, true),
    F64X2(64, 2, true),
    V128(128, 1, false);

    /** Bits per lane. */
    public final int laneBits;
    public final int lanes;
    public final boolean isFloat;

    LaneShape(int laneBits, int lanes, boolean isFloat) {
        this.laneBits = laneBits;
        this.lanes = lanes;
        this.isFloat = isFloat;
    }

    /** Bytes per lane. */
    public int laneBytes() {
        return laneBits / 8;
    }

    /** The shape of a SIMD instruction, read from its mnemonic. */
    public static LaneShape of(Opcode op) {
        String m = op.mnemonic;
        return switch (m.substring(0, m.indexOf('.'))) {
            case "i8x16" -> I8X16;
            case "i16x8" -> I16X8;
            case "i32x4" -> I32X4;
            case "i64x2" -> I64X2;
            case "f32x4" -> F32X4;
            case "f64x2" -> F64X2;
            default -> V128;
        };
    }
}
