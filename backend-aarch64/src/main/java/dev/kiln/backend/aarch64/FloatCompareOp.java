package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Floating-point compare into NZCV, against a register or against +0.0. FCMPE also signals an
 * invalid-operation exception for quiet NaNs; FCMP only for signalling ones. Unordered sets C and V.
 */
public enum FloatCompareOp {
    FCMP(0), FCMPE(1);

    private final int signalling;

    FloatCompareOp(int signalling) {
        this.signalling = signalling;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void registers(InstructionSink out, VectorRegister rn, VectorRegister rm) {
        int type = FloatType.same(mnemonic(), rn, rm);
        out.emit(word(type, rm.number(), rn.number(), false), () -> insn(mnemonic(), rn, rm));
    }

    void zero(InstructionSink out, VectorRegister rn) {
        int type = FloatType.of(mnemonic(), rn);
        out.emit(word(type, 0, rn.number(), true), () -> insn(mnemonic(), rn, "#0.0"));
    }

    private int word(int type, int m, int n, boolean zero) {
        return 0b00011110 << 24 | type << 22 | 1 << 21 | m << 16 | 0b1000 << 10 | n << 5 | signalling << 4
                | (zero ? 1 << 3 : 0);
    }
}
