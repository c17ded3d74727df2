package dev.kiln.backend.aarch64;

/**
 * The PC-relative displacement fields of A64 instructions: where the bits sit, how far they reach,
 * and how to put a displacement in and take it out. Label fix-ups, branch relaxation and the
 * {@link A64RelocationModel} all patch through here.
 */
enum PcRelativeField {
    /** B, BL: imm26 in bits 0-25, in words: ±128 MiB. */
    IMM26(0, 26, 2),
    /** B.cond, CBZ, CBNZ, LDR (literal): imm19 in bits 5-23, in words: ±1 MiB. */
    IMM19(5, 19, 2),
    /** TBZ, TBNZ: imm14 in bits 5-18, in words: ±32 KiB. */
    IMM14(5, 14, 2),
    /** ADR: immhi:immlo (bits 5-23 and 29-30), in bytes: ±1 MiB. */
    ADR21(5, 21, 0),
    /** ADRP: immhi:immlo in 4 KiB pages: ±4 GiB. */
    ADRP21(5, 21, 12);

    private final int lsb;
    private final int bits;
    private final int scaleLog2;

    PcRelativeField(int lsb, int bits, int scaleLog2) {
        this.lsb = lsb;
        this.bits = bits;
        this.scaleLog2 = scaleLog2;
    }

    /** The largest forward displacement in bytes. */
    long maxForward() {
        return ((1L << (bits - 1)) - 1) << scaleLog2;
    }

    /** The most negative displacement in bytes. */
    long minBackward() {
        return -(1L << (bits - 1)) << scaleLog2;
    }

    /** True when {@code displacement} is aligned to the field's unit and in range. */
    boolean fits(long displacement) {
        return (displacement & ((1L << scaleLog2) - 1)) == 0 && displacement >= minBackward() && displacement <= maxForward();
    }

    /** {@code word} with this field set to {@code displacement}; throws when it does not fit. */
    int insert(int word, long displacement) {
        if (!fits(displacement)) {
            throw new IllegalArgumentException("displacement " + displacement + " does not fit " + describe());
        }
        int value = (int) (displacement >> scaleLog2);
        if (this == ADR21 || this == ADRP21) {
            int cleared = word & ~(0x7FFFF << 5) & ~(3 << 29);
            return cleared | ((value >> 2) & 0x7FFFF) << 5 | (value & 3) << 29;
        }
        int mask = ((1 << bits) - 1) << lsb;
        return (word & ~mask) | ((value << lsb) & mask);
    }

    /** The displacement in bytes stored in {@code word}. */
    long extract(int word) {
        long value;
        if (this == ADR21 || this == ADRP21) {
            value = ((word >>> 5) & 0x7FFFF) << 2 | ((word >>> 29) & 3);
        } else {
            value = (word >>> lsb) & ((1L << bits) - 1);
        }
        long signed = (value << (64 - bits)) >> (64 - bits);
        return signed << scaleLog2;
    }

    /** E.g. "a 19-bit word offset (±1 MiB)". */
    String describe() {
        long reach = maxForward() + (1L << scaleLog2);
        String range = reach >= (1L << 30) ? (reach >> 30) + " GiB" : reach >= (1L << 20) ? (reach >> 20) + " MiB" : (reach >> 10) + " KiB";
        String unit = scaleLog2 == 2 ? "word" : scaleLog2 == 12 ? "page" : "byte";
        return "a " + bits + "-bit " + unit + " offset (±" + range + ")";
    }
}
