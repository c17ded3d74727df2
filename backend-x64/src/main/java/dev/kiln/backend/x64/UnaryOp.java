package dev.kiln.backend.x64;

import java.util.Locale;

/** In-place one-operand operations of group 3 (0xF6/0xF7 /digit). Used by {@link X64Assembler#unary}. */
public enum UnaryOp {
    /** Bitwise complement. */
    NOT(2),
    /** Two's-complement negation. */
    NEG(3);

    private final int digit;

    UnaryOp(int digit) {
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
