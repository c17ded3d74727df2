package dev.kiln.backend.aarch64;

/**
 * How an instruction views a SIMD&amp;FP register: as a scalar of one size (B, H, S, D, Q) or as a
 * vector arrangement of lanes (8B, 16B, 4H, 8H, 2S, 4S, 2D).
 */
public enum VectorShape {
    B(8, 1), H(16, 1), S(32, 1), D(64, 1), Q(128, 1),
    V8B(8, 8), V16B(8, 16), V4H(16, 4), V8H(16, 8), V2S(32, 2), V4S(32, 4), V2D(64, 2);

    /** Bits per element (the whole width for a scalar). */
    public final int elementBits;
    /** Number of lanes; 1 for a scalar view. */
    public final int lanes;

    VectorShape(int elementBits, int lanes) {
        this.elementBits = elementBits;
        this.lanes = lanes;
    }

    /** True for the scalar views B, H, S, D, Q. */
    public boolean isScalar() {
        return lanes == 1;
    }

    /** For an arrangement: true when it fills the 128-bit register (the Q bit of vector encodings). */
    public boolean isFullWidth() {
        return elementBits * lanes == 128;
    }

    /** The scalar view holding one element of this shape: B for 8B/16B, S for 2S/4S, ... */
    public VectorShape element() {
        return switch (elementBits) {
            case 8 -> B;
            case 16 -> H;
            case 32 -> S;
            case 64 -> D;
            default -> Q;
        };
    }

    /** log2 of the element size in bytes: 0 for B, 1 for H, 2 for S, 3 for D, 4 for Q. */
    public int sizeLog2() {
        return Integer.numberOfTrailingZeros(elementBits / 8);
    }

    /** The spelling in register names: {@code b} ... {@code q}, or the arrangement {@code 8b} ... {@code 2d}. */
    public String suffix() {
        return isScalar() ? name().toLowerCase() : name().substring(1).toLowerCase();
    }
}
