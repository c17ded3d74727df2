package dev.kiln.backend.x64;

import java.util.Locale;

/**
 * The eight classic two-operand integer operations that share one encoding pattern: the opcode row
 * {@code digit*8 + 0..5} for the register and accumulator forms, and the ModRM {@code /digit} of the
 * immediate group 0x80/0x81/0x83. Used by {@link X64Assembler#alu}.
 */
public enum AluOp {
    ADD(0), OR(1), ADC(2), SBB(3), AND(4), SUB(5), XOR(6), CMP(7);

    /** {@code op r/m8, imm8}. */
    static final int IMM_BYTE = 0x80;
    /** {@code op r/m16/32/64, imm16/32}. */
    static final int IMM_FULL = 0x81;
    /** {@code op r/m16/32/64, imm8} (sign-extended). */
    static final int IMM_SIGN_EXTENDED_BYTE = 0x83;

    private final int digit;

    AluOp(int digit) {
        this.digit = digit;
    }

    /** The ModRM reg field (/digit) of the immediate forms. */
    int digit() {
        return digit;
    }

    /** {@code op r/m, r}. */
    int rmRegOpcode(Width w) {
        return digit * 8 + (w == Width.BYTE ? 0 : 1);
    }

    /** {@code op r, r/m}. */
    int regRmOpcode(Width w) {
        return digit * 8 + (w == Width.BYTE ? 2 : 3);
    }

    /** {@code op al/ax/eax/rax, imm} (no ModRM). */
    int accumulatorImmOpcode(Width w) {
        return digit * 8 + (w == Width.BYTE ? 4 : 5);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT);
    }
}
