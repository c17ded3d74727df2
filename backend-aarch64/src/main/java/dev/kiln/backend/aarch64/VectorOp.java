package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * The Advanced SIMD vector instructions the backend needs for {@code popcnt}: CNT (population count
 * per byte, {@code cnt v0.8b, v0.8b}) and ADDV (sum across lanes into a scalar, {@code addv b0, v0.8b}).
 */
public enum VectorOp {
    /** Two-register miscellaneous: {@code cnt vd.T, vn.T} with T = 8B or 16B. */
    CNT(0x0E205800),
    /** Across lanes: {@code addv Bd|Hd|Sd, vn.T} with T = 8B, 16B, 4H, 8H or 4S. */
    ADDV(0x0E31B800);

    private final int fixed;

    VectorOp(int fixed) {
        this.fixed = fixed;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn) {
        VectorShape t = rn.shape();
        String what = mnemonic();
        if (t.isScalar()) {
            throw new IllegalArgumentException(what + ": source " + rn + " must be a vector arrangement");
        }
        if (this == CNT && (t != VectorShape.V8B && t != VectorShape.V16B || rd.shape() != t)) {
            throw new IllegalArgumentException("cnt takes two 8B or two 16B arrangements, not " + rd + ", " + rn);
        }
        if (this == ADDV && (t == VectorShape.V2S || t == VectorShape.V2D || rd.shape() != t.element())) {
            throw new IllegalArgumentException("addv sums 8B/16B/4H/8H/4S into a scalar of the element size, not "
                    + rd + ", " + rn);
        }
        int word = fixed | (t.isFullWidth() ? 1 << 30 : 0) | t.sizeLog2() << 22 | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn(mnemonic(), rd, rn));
    }
}
