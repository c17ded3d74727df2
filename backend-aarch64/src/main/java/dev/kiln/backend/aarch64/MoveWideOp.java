package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.hex;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * MOVN, MOVZ and MOVK: a 16-bit immediate placed at bit 0, 16, 32 or 48 (0 or 16 for W registers).
 * MOVZ and MOVN print as {@code mov #value} where objdump does.
 */
public enum MoveWideOp {
    MOVN(0), MOVZ(2), MOVK(3);

    private final int opc;

    MoveWideOp(int opc) {
        this.opc = opc;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    /** True when MOVZ or MOVN alone can produce the low {@code width} bits of {@code value}. */
    public static boolean isSingleInstruction(long value, int width) {
        return singleHalfword(value, width) || singleHalfword(~value, width);
    }

    private static boolean singleHalfword(long value, int width) {
        if (width == 32) {
            value &= 0xFFFF_FFFFL;
        }
        for (int shift = 0; shift < width; shift += 16) {
            if ((value & ~(0xFFFFL << shift)) == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code op rd, #imm16, lsl #shift}. */
    void emit(InstructionSink out, GeneralRegister rd, int imm16, int shift) {
        String what = mnemonic();
        Immediates.unsigned(what, imm16, 16);
        if (shift % 16 != 0 || shift < 0 || shift >= rd.width()) {
            throw new IllegalArgumentException(what + ": shift " + shift + " is not one of 0, 16"
                    + (rd.is64() ? ", 32, 48" : " (32-bit register)"));
        }
        int d = rd.encodeZrOperand(what);
        int word = rd.sfBit() | opc << 29 | 0b100101 << 23 | (shift / 16) << 21 | imm16 << 5 | d;
        out.emit(word, () -> {
            String lsl = shift == 0 ? "" : ", lsl #" + shift;
            boolean zeroMovedUp = imm16 == 0 && shift != 0;
            if (this == MOVZ && !zeroMovedUp) {
                return insn("mov", rd, hex((long) imm16 << shift, rd.width()));
            }
            if (this == MOVN && !zeroMovedUp && (rd.is64() || imm16 != 0xFFFF)) {
                return insn("mov", rd, hex(~((long) imm16 << shift), rd.width()));
            }
            return insn(mnemonic(), rd, hex(imm16) + lsl);
        });
    }
}
