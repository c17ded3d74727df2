package dev.kiln.backend.aarch64;

/**
 * The extension applied to the index register of an extended-register operand ({@code add x0, x1,
 * w2, uxtw #2}) or a register-offset address ({@code [x1, w2, sxtw #3]}), in encoding order.
 */
public enum Extend {
    UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX;

    /** The 3-bit {@code option} encoding. */
    public int code() {
        return ordinal();
    }

    /** True for UXTX and SXTX, whose source register is 64-bit. */
    public boolean takes64BitRegister() {
        return this == UXTX || this == SXTX;
    }

    public String syntax() {
        return name().toLowerCase();
    }
}
