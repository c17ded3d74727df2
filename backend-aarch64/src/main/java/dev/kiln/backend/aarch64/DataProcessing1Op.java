package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/** Data-processing (1 source): bit and byte reversal and leading-bit counts, {@code op rd, rn}. */
public enum DataProcessing1Op {
    RBIT(0, 0), REV16(1, 1), REV32(-1, 2), REV(2, 3), CLZ(4, 4), CLS(5, 5);

    private final int opcode32;
    private final int opcode64;

    DataProcessing1Op(int opcode32, int opcode64) {
        this.opcode32 = opcode32;
        this.opcode64 = opcode64;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, GeneralRegister rd, GeneralRegister rn) {
        String what = mnemonic();
        GeneralRegister.requireSameWidth(what, rd, rn);
        int opcode = rd.is64() ? opcode64 : opcode32;
        if (opcode < 0) {
            throw new IllegalArgumentException(what + " exists only for 64-bit registers");
        }
        int word = rd.sfBit() | 0b1011010110 << 21 | opcode << 10 | rn.encodeZrOperand(what) << 5
                | rd.encodeZrOperand(what);
        out.emit(word, () -> insn(mnemonic(), rd, rn));
    }
}
