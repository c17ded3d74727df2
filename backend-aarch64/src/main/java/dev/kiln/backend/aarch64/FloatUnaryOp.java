package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Floating-point data-processing (1 source) on S or D registers: {@code op rd, rn}. FCVT converts
 * between S and D (rd and rn of different types); all others keep the type. The FRINT variants
 * round to integral: N to nearest even, P toward +inf, M toward -inf, Z toward zero, A to nearest
 * away from zero, X and I with the current rounding mode (X signals inexact).
 */
public enum FloatUnaryOp {
    FMOV(0b000000), FABS(0b000001), FNEG(0b000010), FSQRT(0b000011), FCVT(0b000100),
    FRINTN(0b001000), FRINTP(0b001001), FRINTM(0b001010), FRINTZ(0b001011), FRINTA(0b001100),
    FRINTX(0b001110), FRINTI(0b001111);

    private final int opcode;

    FloatUnaryOp(int opcode) {
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn) {
        String what = mnemonic();
        int type;
        int op = opcode;
        if (this == FCVT) {
            type = FloatType.of(what, rn);
            int target = FloatType.of(what, rd);
            if (type == target) {
                throw new IllegalArgumentException("fcvt converts between S and D; " + rd + " and " + rn + " have one type");
            }
            op |= target;
        } else {
            type = FloatType.same(what, rd, rn);
        }
        int word = 0b00011110 << 24 | type << 22 | 1 << 21 | op << 15 | 0b10000 << 10 | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn(mnemonic(), rd, rn));
    }
}
