package dev.kiln.backend.aarch64;

/**
 * The AArch64 ELF relocation types kiln emits or accepts (numbers from the AArch64 ELF ABI), and how
 * each patches code: S is the symbol address, A the addend, P the address of the place, and
 * Page(x) = x with the low 12 bits cleared. Instruction fields are patched through
 * {@link PcRelativeField}, the same code that resolves labels.
 */
public enum A64RelocationType {
    /** 64-bit data word S + A. */
    ABS64(257),
    /** 32-bit data word S + A, which must fit signed or unsigned 32 bits. */
    ABS32(258),
    /** 64-bit data word S + A - P. */
    PREL64(260),
    /** 32-bit data word S + A - P, which must fit signed or unsigned 32 bits. */
    PREL32(261),
    /** LDR (literal): S + A - P, ±1 MiB. */
    LD_PREL_LO19(273),
    /** ADR: S + A - P, ±1 MiB. */
    ADR_PREL_LO21(274),
    /** ADRP: Page(S + A) - Page(P), ±4 GiB. */
    ADR_PREL_PG_HI21(275),
    /** ADD (immediate): the low 12 bits of S + A, unchecked. */
    ADD_ABS_LO12_NC(277),
    /** LDRB/STRB (unsigned offset): the low 12 bits of S + A. */
    LDST8_ABS_LO12_NC(278),
    /** TBZ/TBNZ: S + A - P, ±32 KiB. */
    TSTBR14(279),
    /** B.cond, CBZ/CBNZ: S + A - P, ±1 MiB. */
    CONDBR19(280),
    /** B (tail call): S + A - P, ±128 MiB. */
    JUMP26(282),
    /** BL (call): S + A - P, ±128 MiB. */
    CALL26(283),
    /** 16-bit LDR/STR (unsigned offset): bits 11:1 of S + A, which must be 2-aligned. */
    LDST16_ABS_LO12_NC(284),
    /** 32-bit LDR/STR (unsigned offset): bits 11:2 of S + A, which must be 4-aligned. */
    LDST32_ABS_LO12_NC(285),
    /** 64-bit LDR/STR (unsigned offset): bits 11:3 of S + A, which must be 8-aligned. */
    LDST64_ABS_LO12_NC(286),
    /** 128-bit LDR/STR (unsigned offset): bits 11:4 of S + A, which must be 16-aligned. */
    LDST128_ABS_LO12_NC(299);

    /** The ELF relocation type number ({@code ELF64_R_TYPE}). */
    public final int number;

    A64RelocationType(int number) {
        this.number = number;
    }

    /** {@code R_AARCH64_} + the name. */
    public String elfName() {
        return "R_AARCH64_" + name();
    }

    /** The type with this ELF number, or null when kiln does not know it. */
    public static A64RelocationType fromNumber(int number) {
        for (A64RelocationType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return null;
    }

    /**
     * Patches {@code code} at {@code offset}; throws {@link IllegalArgumentException} when the value
     * does not fit the field (or is misaligned for it), or the place lies outside {@code code}.
     */
    void apply(byte[] code, int offset, long s, long a, long p) {
        int bytes = this == ABS64 || this == PREL64 ? 8 : 4;
        if (offset < 0 || offset > code.length - bytes) {
            throw new IllegalArgumentException(elfName() + " at offset " + offset + " lies outside the "
                    + code.length + "-byte section");
        }
        switch (this) {
            case ABS64 -> CodeBuffer.writeLong(code, offset, s + a);
            case PREL64 -> CodeBuffer.writeLong(code, offset, s + a - p);
            case ABS32 -> CodeBuffer.writeInt(code, offset, (int) checkWord(s + a));
            case PREL32 -> CodeBuffer.writeInt(code, offset, (int) checkWord(s + a - p));
            case LD_PREL_LO19, CONDBR19 -> patchField(code, offset, PcRelativeField.IMM19, s + a - p);
            case TSTBR14 -> patchField(code, offset, PcRelativeField.IMM14, s + a - p);
            case JUMP26, CALL26 -> patchField(code, offset, PcRelativeField.IMM26, s + a - p);
            case ADR_PREL_LO21 -> patchField(code, offset, PcRelativeField.ADR21, s + a - p);
            case ADR_PREL_PG_HI21 -> patchField(code, offset, PcRelativeField.ADRP21, ((s + a) & ~0xFFFL) - (p & ~0xFFFL));
            case ADD_ABS_LO12_NC -> patchLow12(code, offset, s + a, 0);
            case LDST8_ABS_LO12_NC -> patchLow12(code, offset, s + a, 0);
            case LDST16_ABS_LO12_NC -> patchLow12(code, offset, s + a, 1);
            case LDST32_ABS_LO12_NC -> patchLow12(code, offset, s + a, 2);
            case LDST64_ABS_LO12_NC -> patchLow12(code, offset, s + a, 3);
            case LDST128_ABS_LO12_NC -> patchLow12(code, offset, s + a, 4);
        }
    }

    private long checkWord(long x) {
        if (x < Integer.MIN_VALUE || x > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(elfName() + ": value 0x" + Long.toHexString(x) + " does not fit 32 bits");
        }
        return x;
    }

    private void patchField(byte[] code, int offset, PcRelativeField field, long displacement) {
        if (!field.fits(displacement)) {
            throw new IllegalArgumentException(elfName() + ": displacement " + displacement + " (0x"
                    + Long.toHexString(displacement) + ") does not fit " + field.describe());
        }
        CodeBuffer.writeInt(code, offset, field.insert(CodeBuffer.readInt(code, offset), displacement));
    }

    private void patchLow12(byte[] code, int offset, long x, int scaleLog2) {
        int low = (int) (x & 0xFFF);
        if ((low & ((1 << scaleLog2) - 1)) != 0) {
            throw new IllegalArgumentException(elfName() + ": address 0x" + Long.toHexString(x)
                    + " is not aligned to " + (1 << scaleLog2) + " bytes");
        }
        int word = CodeBuffer.readInt(code, offset);
        CodeBuffer.writeInt(code, offset, (word & ~(0xFFF << 10)) | (low >> scaleLog2) << 10);
    }
}
