package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD permutes, {@code 0 Q 0 01110 size 0 Rm 0 opcode 10 Rn Rd}: unzip (even or odd
 * lanes), transpose and zip (interleave the low or high halves) of two registers.
 */
public enum SimdPermuteOp {
    UZP1(0b001), TRN1(0b010), ZIP1(0b011), UZP2(0b101), TRN2(0b110), ZIP2(0b111);

    private final int opcode;

    SimdPermuteOp(int opcode) {
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        VectorShape t = rd.shape();
        if (rn.shape() != t || rm.shape() != t || t.isScalar() || t.elementBits == 64 && !t.isFullWidth()) {
            throw new IllegalArgumentException(mnemonic() + " takes three registers of one arrangement, not " + rd + ", " + rn + ", " + rm);
        }
        int word = 0x0E000800 | (t.isFullWidth() ? 1 << 30 : 0) | t.sizeLog2() << 22 | rm.number() << 16 | opcode << 12
                | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn(mnemonic(), rd, rn, rm));
    }
}
