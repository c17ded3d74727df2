package dev.kiln.backend.x64;

import java.util.Locale;

/**
 * Shifts and rotates: group 2, opcodes 0xD0/0xD1 (by 1), 0xD2/0xD3 (by CL) and 0xC0/0xC1 (by imm8),
 * told apart by the ModRM {@code /digit}. Used by {@link X64Assembler#shift} and {@link X64Assembler#shiftByCl}.
 */
public enum ShiftOp {
    ROL(0), ROR(1), SHL(4), SHR(5), SAR(7);

    private final int digit;

    ShiftOp(int digit) {
        this.digit = digit;
    }

    int digit() {
        return digit;
    }

    int byOneOpcode(Width w) {
        return w == Width.BYTE ? 0xD0 : 0xD1;
    }

    int byClOpcode(Width w) {
        return w == Width.BYTE ? 0xD2 : 0xD3;
    }

    int byImmediateOpcode(Width w) {
        return w == Width.BYTE ? 0xC0 : 0xC1;
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT);
    }
}
