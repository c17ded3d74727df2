package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Floating-point data-processing (2 source) on S or D registers: {@code op rd, rn, rm}. FMIN/FMAX
 * propagate NaNs (WebAssembly's min/max); FMINNM/FMAXNM prefer the number.
 */
public enum FloatBinaryOp {
    FMUL(0b0000), FDIV(0b0001), FADD(0b0010), FSUB(0b0011), FMAX(0b0100), FMIN(0b0101),
    FMAXNM(0b0110), FMINNM(0b0111), FNMUL(0b1000);

    private final int opcode;

    FloatBinaryOp(int opcode) {
        this.opcode = opcode;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        int type = FloatType.same(mnemonic(), rd, rn, rm);
        int word = 0b00011110 << 24 | type << 22 | 1 << 21 | rm.number() << 16 | opcode << 12 | 0b10 << 10
                | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn(mnemonic(), rd, rn, rm));
    }
}
