package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD reductions across lanes into a scalar of the element size, {@code op vd, vn.T}:
 * {@code 0 Q U 01110 size 11000 opcode 10 Rn Rd}.
 */
public enum SimdAcrossOp {
    ADDV(0, 0b11011), SMAXV(0, 0b01010), UMAXV(1, 0b01010), SMINV(0, 0b11010), UMINV(1, 0b11010);

    private final int u;
    private final int opcode;

    SimdAcrossOp(int u, int opcode) {
        this.u = u;
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn) {
        VectorShape t = rn.shape();
        if (t.isScalar() || t == VectorShape.V2S || t.elementBits == 64 || rd.shape() != t.element()) {
            throw new IllegalArgumentException(mnemonic() + " reduces 8B/16B/4H/8H/4S into a scalar of the element size, not "
                    + rd + ", " + rn);
        }
        int word = 0x0E300800 | (t.isFullWidth() ? 1 << 30 : 0) | u << 29 | t.sizeLog2() << 22 | opcode << 12
                | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn(mnemonic(), rd, rn));
    }
}
