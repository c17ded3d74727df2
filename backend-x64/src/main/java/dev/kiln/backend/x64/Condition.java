package dev.kiln.backend.x64;

/**
 * The sixteen x86 condition codes, as used by {@code jcc}, {@code setcc} and {@code cmovcc}, with their
 * 4-bit encodings. Naming follows the Intel mnemonics: after {@code cmp a, b}, {@code L/LE/G/GE} compare
 * signed, {@code B/BE/A/AE} compare unsigned; after {@code ucomiss/ucomisd}, {@code B/BE/A/AE/E/NE} apply
 * and {@code P} means "unordered".
 */
public enum Condition {
    /** Overflow (OF=1). */
    O("o"),
    /** No overflow (OF=0). */
    NO("no"),
    /** Below, unsigned less (CF=1); also "carry". */
    B("b"),
    /** Above or equal, unsigned greater-or-equal (CF=0); also "no carry". */
    AE("ae"),
    /** Equal / zero (ZF=1). */
    E("e"),
    /** Not equal / not zero (ZF=0). */
    NE("ne"),
    /** Below or equal, unsigned (CF=1 or ZF=1). */
    BE("be"),
    /** Above, unsigned (CF=0 and ZF=0). */
    A("a"),
    /** Sign (SF=1). */
    S("s"),
    /** No sign (SF=0). */
    NS("ns"),
    /** Parity even (PF=1); after a float compare, "unordered". */
    P("p"),
    /** Parity odd (PF=0); after a float compare, "ordered". */
    NP("np"),
    /** Less, signed (SF!=OF). */
    L("l"),
    /** Greater or equal, signed (SF=OF). */
    GE("ge"),
    /** Less or equal, signed (ZF=1 or SF!=OF). */
    LE("le"),
    /** Greater, signed (ZF=0 and SF=OF). */
    G("g");

    private final String suffix;

    Condition(String suffix) {
        this.suffix = suffix;
    }

    /** The 4-bit condition code that is added to the opcode (e.g. 0x70+cc, 0x0F 0x80+cc). */
    public int code() {
        return ordinal();
    }

    /** The mnemonic suffix, e.g. {@code ne} in {@code jne}, {@code setne}, {@code cmovne}. */
    public String suffix() {
        return suffix;
    }

    /** The opposite condition: true exactly when this one is false (flips the low bit of the code). */
    public Condition invert() {
        return values()[ordinal() ^ 1];
    }

    /**
     * The condition to test when the operands of the comparison are swapped: {@code cmp a,b; jl} is
     * {@code cmp b,a; jg}. E, NE, P and NP do not depend on the order and are returned as is; O, NO, S and NS
     * have no swapped equivalent and are rejected.
     */
    public Condition commute() {
        return switch (this) {
            case B -> A;
            case A -> B;
            case AE -> BE;
            case BE -> AE;
            case L -> G;
            case G -> L;
            case LE -> GE;
            case GE -> LE;
            case E, NE, P, NP -> this;
            case O, NO, S, NS -> throw new UnsupportedOperationException(this + " has no operand-swapped form");
        };
    }

    /** The condition with 4-bit code {@code code}. */
    public static Condition of(int code) {
        return values()[code];
    }
}
