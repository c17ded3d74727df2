package dev.kiln.backend.x64;

/**
 * The rounding immediate of {@code roundss}/{@code roundsd}: the rounding mode in bits 0-1 with bit 2
 * clear (do not use MXCSR) and bit 3 set (suppress the precision exception), as compilers emit it.
 * These are WebAssembly's {@code nearest}, {@code floor}, {@code ceil} and {@code trunc}.
 */
public enum RoundingMode {
    /** Round to nearest, ties to even. */
    NEAREST(0x8),
    /** Round toward negative infinity. */
    FLOOR(0x9),
    /** Round toward positive infinity. */
    CEIL(0xA),
    /** Round toward zero. */
    TRUNC(0xB);

    private final int immediate;

    RoundingMode(int immediate) {
        this.immediate = immediate;
    }

    /** The imm8 operand. */
    public int immediate() {
        return immediate;
    }
}
