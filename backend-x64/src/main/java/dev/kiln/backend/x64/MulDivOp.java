package dev.kiln.backend.x64;

import java.util.Locale;

/**
 * Widening multiply and divide of group 3 (0xF6/0xF7 /digit), which work on the implicit register pair
 * RDX:RAX (EDX:EAX, ...): MUL/IMUL put the double-width product there; DIV/IDIV divide it by the operand,
 * leaving the quotient in RAX and the remainder in RDX (sign-extend with {@code cdq}/{@code cqo} or clear
 * RDX first). Used by {@link X64Assembler#mulDiv}.
 */
public enum MulDivOp {
    MUL(4), IMUL(5), DIV(6), IDIV(7);

    private final int digit;

    MulDivOp(int digit) {
        this.digit = digit;
    }

    int digit() {
        return digit;
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT);
    }
}
