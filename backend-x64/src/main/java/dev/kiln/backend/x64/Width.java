package dev.kiln.backend.x64;

/**
 * The operand width of an integer instruction. {@link #WORD} adds the 0x66 operand-size prefix,
 * {@link #QWORD} sets REX.W, {@link #BYTE} selects the byte opcodes (and forces a REX prefix when one
 * of SPL, BPL, SIL or DIL is used, since without REX those encodings mean AH, CH, DH and BH).
 */
public enum Width {
    BYTE(8), WORD(16), DWORD(32), QWORD(64);

    private final int bits;

    Width(int bits) {
        this.bits = bits;
    }

    /** The width of {@code bits} (8, 16, 32 or 64) bits. */
    public static Width ofBits(int bits) {
        return switch (bits) {
            case 8 -> BYTE;
            case 16 -> WORD;
            case 32 -> DWORD;
            case 64 -> QWORD;
            default -> throw new IllegalArgumentException("no integer width of " + bits + " bits");
        };
    }

    /** The width in bits: 8, 16, 32 or 64. */
    public int bits() {
        return bits;
    }

    /** The width in bytes: 1, 2, 4 or 8. */
    public int bytes() {
        return bits / 8;
    }

    /** The size of an immediate operand of this width in an ALU/mov/test instruction (at most 4 bytes). */
    int immediateBytes() {
        return Math.min(bytes(), 4);
    }

    /** {@code value} truncated to this width, as an unsigned number (all 64 bits for QWORD). */
    long unsigned(long value) {
        return bits == 64 ? value : value & ((1L << bits) - 1);
    }

    /** {@code value} truncated to this width and sign-extended back to 64 bits. */
    long signExtend(long value) {
        return bits == 64 ? value : (value << (64 - bits)) >> (64 - bits);
    }

    /**
     * Checks that {@code value} is representable in this width, either as a signed or as an unsigned
     * number (so {@code 0xFF} and {@code -1} are both valid bytes), and returns it.
     */
    long checkFits(long value, String what) {
        if (bits < 64 && (value < -(1L << (bits - 1)) || value > (1L << bits) - 1)) {
            throw new IllegalArgumentException(what + " " + value + " does not fit in " + bits + " bits");
        }
        return value;
    }

    /** The Intel-syntax size keyword for a memory operand of this width, e.g. {@code DWORD PTR}. */
    String ptr() {
        return name() + " PTR";
    }
}
