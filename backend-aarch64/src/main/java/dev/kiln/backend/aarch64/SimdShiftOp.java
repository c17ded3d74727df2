package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD shifts by an immediate, {@code 0 Q U 011110 immh:immb opcode 1 Rn Rd}: SHL, the
 * right shifts SSHR/USHR, and the widening SSHLL/USHLL (printed {@code sxtl}/{@code uxtl} for a
 * zero shift; the {@code 2} variants read the upper half of a full-width source).
 */
public enum SimdShiftOp {
    SHL(0, 0b01010),
    SSHR(0, 0b00000),
    USHR(1, 0b00000),
    SSHLL(0, 0b10100),
    USHLL(1, 0b10100);

    private final int u;
    private final int opcode;

    SimdShiftOp(int u, int opcode) {
        this.u = u;
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    private boolean widening() {
        return this == SSHLL || this == USHLL;
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, int shift) {
        VectorShape d = rd.shape(), n = rn.shape();
        int esize = n.elementBits;
        boolean q;
        if (widening()) {
            if (n.isScalar() || d.isScalar() || d.elementBits != 2 * esize || !d.isFullWidth() || esize == 64) {
                throw new IllegalArgumentException(mnemonic() + " has no form " + rd + ", " + rn);
            }
            q = n.isFullWidth();
        } else {
            if (d != n || n.isScalar() || esize == 64 && !n.isFullWidth()) {
                throw new IllegalArgumentException(mnemonic() + " takes two registers of one arrangement, not " + rd + ", " + rn);
            }
            q = n.isFullWidth();
        }
        boolean right = this == SSHR || this == USHR;
        if (right ? shift < 1 || shift > esize : shift < 0 || shift >= esize) {
            throw new IllegalArgumentException(mnemonic() + ": shift " + shift + " out of range for " + esize + "-bit lanes");
        }
        int immhb = right ? 2 * esize - shift : esize + shift;
        int word = 0x0F000400 | (q ? 1 << 30 : 0) | u << 29 | immhb << 16 | opcode << 11 | rn.number() << 5 | rd.number();
        if (widening() && shift == 0) {
            String alias = (this == SSHLL ? "sxtl" : "uxtl") + (q ? "2" : "");
            out.emit(word, () -> insn(alias, rd, rn));
        } else {
            String name = mnemonic() + (widening() && q ? "2" : "");
            out.emit(word, () -> insn(name, rd, rn, "#" + shift));
        }
    }
}
