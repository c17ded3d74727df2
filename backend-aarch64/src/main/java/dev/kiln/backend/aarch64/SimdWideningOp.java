package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD "three different" instructions that widen, {@code op vd.T2, vn.T1, vm.T1}:
 * {@code 0 Q U 01110 size 1 Rm opcode 00 Rn Rd}. The result lanes are twice as wide as the source
 * lanes; the {@code 2} variants (a full-width source) take the upper halves.
 */
public enum SimdWideningOp {
    SMULL(0, 0b1100),
    UMULL(1, 0b1100),
    /** Multiply and add to the destination. */
    UMLAL(1, 0b1000);

    private final int u;
    private final int opcode;

    SimdWideningOp(int u, int opcode) {
        this.u = u;
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        VectorShape d = rd.shape(), n = rn.shape();
        if (rm.shape() != n || n.isScalar() || d.isScalar() || !d.isFullWidth() || d.elementBits != 2 * n.elementBits
                || n.elementBits == 64) {
            throw new IllegalArgumentException(mnemonic() + " has no form " + rd + ", " + rn + ", " + rm);
        }
        boolean q = n.isFullWidth();
        int word = 0x0E200000 | (q ? 1 << 30 : 0) | u << 29 | n.sizeLog2() << 22 | rm.number() << 16 | opcode << 12
                | rn.number() << 5 | rd.number();
        String name = mnemonic() + (q ? "2" : "");
        out.emit(word, () -> insn(name, rd, rn, rm));
    }
}
