package dev.kiln.backend.aarch64;

/** The shift applied to the last register of a shifted-register operand, in encoding order. */
public enum Shift {
    LSL, LSR, ASR, ROR;

    /** The 2-bit encoding. */
    public int code() {
        return ordinal();
    }

    public String syntax() {
        return name().toLowerCase();
    }
}
