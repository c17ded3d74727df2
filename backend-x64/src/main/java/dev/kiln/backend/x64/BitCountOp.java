package dev.kiln.backend.x64;

import java.util.Locale;

/**
 * Bit counting and scanning, {@code op r16/32/64, r/m16/32/64}: an optional mandatory prefix and the
 * second opcode byte after 0x0F. LZCNT needs ABM/LZCNT, TZCNT needs BMI1 and POPCNT needs the POPCNT
 * feature; on older CPUs LZCNT/TZCNT silently execute as BSR/BSF. Used by {@link X64Assembler#bitCount}.
 */
public enum BitCountOp {
    /** Count of leading zero bits; the operand width when the source is zero. */
    LZCNT(0xF3, 0xBD),
    /** Count of trailing zero bits; the operand width when the source is zero. */
    TZCNT(0xF3, 0xBC),
    /** Count of set bits. */
    POPCNT(0xF3, 0xB8),
    /** Index of the lowest set bit; ZF=1 and the destination undefined when the source is zero. */
    BSF(0, 0xBC),
    /** Index of the highest set bit; ZF=1 and the destination undefined when the source is zero. */
    BSR(0, 0xBD);

    private final int prefix;
    private final int opcode;

    BitCountOp(int prefix, int opcode) {
        this.prefix = prefix;
        this.opcode = opcode;
    }

    /** The mandatory prefix byte, or 0 for none. */
    int prefix() {
        return prefix;
    }

    /** The opcode byte after 0x0F. */
    int opcode() {
        return opcode;
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT);
    }
}
