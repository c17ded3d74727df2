package dev.kiln.backend.aarch64;

/**
 * The 8-bit floating-point immediates of FMOV (immediate): values {@code ±(16 + m) / 16 × 2^e} with
 * m in 0-15 and e in -3..4, stored as {@code imm8 = sign:b:cd:efgh} (VFPExpandImm in the Arm ARM).
 */
public final class FloatImmediate {
    private FloatImmediate() {
    }

    /** The bits of the double that {@code imm8} stands for. */
    public static long expandDouble(int imm8) {
        long sign = (imm8 >>> 7) & 1;
        long b = (imm8 >>> 6) & 1;
        long exponent = ((b ^ 1) << 10) | ((b == 1 ? 0xFFL : 0) << 2) | ((imm8 >>> 4) & 3);
        return sign << 63 | exponent << 52 | (long) (imm8 & 0xF) << 48;
    }

    /** The bits of the float that {@code imm8} stands for. */
    public static int expandFloat(int imm8) {
        int sign = (imm8 >>> 7) & 1;
        int b = (imm8 >>> 6) & 1;
        int exponent = ((b ^ 1) << 7) | ((b == 1 ? 0x1F : 0) << 2) | ((imm8 >>> 4) & 3);
        return sign << 31 | exponent << 23 | (imm8 & 0xF) << 19;
    }

    /** The imm8 encoding the double with raw bits {@code bits}, or -1 when FMOV cannot encode it. */
    public static int encodeDouble(long bits) {
        for (int imm8 = 0; imm8 < 256; imm8++) {
            if (expandDouble(imm8) == bits) {
                return imm8;
            }
        }
        return -1;
    }

    /** The imm8 encoding the float with raw bits {@code bits}, or -1 when FMOV cannot encode it. */
    public static int encodeFloat(int bits) {
        for (int imm8 = 0; imm8 < 256; imm8++) {
            if (expandFloat(imm8) == bits) {
                return imm8;
            }
        }
        return -1;
    }

    /** FMOV (scalar, immediate): {@code fmov rd, #value} for an S or D register. */
    static void emit(InstructionSink out, VectorRegister rd, int imm8) {
        int type = FloatType.of("fmov (immediate)", rd);
        Immediates.unsigned("fmov (immediate)", imm8, 8);
        int word = 0b00011110 << 24 | type << 22 | 1 << 21 | imm8 << 13 | 0b100 << 10 | rd.number();
        double value = type == 1 ? Double.longBitsToDouble(expandDouble(imm8)) : Float.intBitsToFloat(expandFloat(imm8));
        out.emit(word, () -> AsmSyntax.insn("fmov", rd, AsmSyntax.floatImmediate(value)));
    }
}
