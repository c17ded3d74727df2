package dev.kiln.backend.aarch64;

/**
 * One element of a SIMD&amp;FP register, {@code v3.b[7]} or {@code v0.d[1]}: the operand of UMOV and
 * INS, which move single elements between general and vector registers.
 *
 * @param element the element size: B, H, S or D
 * @param index   the lane number, below {@code 128 / element size}
 */
public record VectorLane(VectorRegister register, VectorShape element, int index) {
    public VectorLane {
        if (!element.isScalar() || element == VectorShape.Q) {
            throw new IllegalArgumentException("lane element size must be B, H, S or D, not " + element);
        }
        if (index < 0 || index >= 128 / element.elementBits) {
            throw new IllegalArgumentException("lane index " + index + " out of range for " + element + " elements");
        }
    }

    /** The imm5 field of UMOV/INS: the element size as a one-hot low bit with the index above it. */
    int imm5() {
        int size = element.sizeLog2();
        return (index << (size + 1)) | (1 << size);
    }

    @Override
    public String toString() {
        return "v" + register.number() + "." + element.suffix() + "[" + index + "]";
    }
}
