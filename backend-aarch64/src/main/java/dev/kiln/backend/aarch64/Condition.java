package dev.kiln.backend.aarch64;

/**
 * A condition code tested against NZCV, in encoding order (EQ = 0 ... NV = 15). Names follow GNU
 * objdump, which prints CS and CC; {@link #HS} and {@link #LO} are the unsigned-comparison aliases.
 */
public enum Condition {
    /** Equal (Z set). */
    EQ,
    /** Not equal. */
    NE,
    /** Carry set; unsigned higher or same. */
    CS,
    /** Carry clear; unsigned lower. */
    CC,
    /** Negative. */
    MI,
    /** Positive or zero. */
    PL,
    /** Overflow. */
    VS,
    /** No overflow. */
    VC,
    /** Unsigned higher. */
    HI,
    /** Unsigned lower or same. */
    LS,
    /** Signed greater than or equal. */
    GE,
    /** Signed less than. */
    LT,
    /** Signed greater than. */
    GT,
    /** Signed less than or equal. */
    LE,
    /** Always. */
    AL,
    /** Always (behaves as AL; reserved spelling). */
    NV;

    /** Unsigned higher or same: the same code as {@link #CS}. */
    public static final Condition HS = CS;
    /** Unsigned lower: the same code as {@link #CC}. */
    public static final Condition LO = CC;

    private static final Condition[] BY_CODE = values();

    /** The 4-bit encoding. */
    public int code() {
        return ordinal();
    }

    /** The condition with the given 4-bit code. */
    public static Condition fromCode(int code) {
        return BY_CODE[code & 15];
    }

    /** The opposite condition (EQ and NE, CS and CC, ...). AL and NV have no opposite. */
    public Condition invert() {
        if (this == AL || this == NV) {
            throw new IllegalArgumentException(this + " has no inverse");
        }
        return BY_CODE[ordinal() ^ 1];
    }

    /** The GNU spelling, lower case. */
    public String syntax() {
        return name().toLowerCase();
    }
}
