package dev.kiln.backend.x64;

/** The sixteen SSE registers XMM0-XMM15, in hardware encoding order. */
public enum Xmm implements X64Register, XmmOrMemory {
    XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7, XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15;
    /** values() copies its array on every call; the register allocator asks millions of times. */
    private static final Xmm[] BY_ENCODING = values();

    @Override
    public int encoding() {
        return ordinal();
    }

    /** The register with hardware number {@code encoding} (0-15). */
    public static Xmm of(int encoding) {
        return BY_ENCODING[encoding];
    }

    /** The Intel-syntax name, e.g. {@code xmm12}. */
    public String intelName() {
        return "xmm" + encoding();
    }
}
