package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.hex;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Conditional compare: when cond holds, set NZCV from {@code rn - rm} (CCMP) or {@code rn + rm}
 * (CCMN), else set NZCV to the 4-bit immediate {@code nzcv}. The second operand is a register or a
 * 5-bit unsigned immediate.
 */
public enum ConditionalCompareOp {
    CCMN(0), CCMP(1);

    private final int op;

    ConditionalCompareOp(int op) {
        this.op = op;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void register(InstructionSink out, GeneralRegister rn, GeneralRegister rm, int nzcv, Condition cond) {
        String what = mnemonic() + " (register)";
        GeneralRegister.requireSameWidth(what, rn, rm);
        Immediates.unsigned(what + " nzcv", nzcv, 4);
        int word = rn.sfBit() | op << 30 | 0b111010010 << 21 | rm.encodeZrOperand(what) << 16
                | cond.code() << 12 | rn.encodeZrOperand(what) << 5 | nzcv;
        out.emit(word, () -> insn(mnemonic(), rn, rm, hex(nzcv), cond.syntax()));
    }

    void immediate(InstructionSink out, GeneralRegister rn, int imm5, int nzcv, Condition cond) {
        String what = mnemonic() + " (immediate)";
        Immediates.unsigned(what, imm5, 5);
        Immediates.unsigned(what + " nzcv", nzcv, 4);
        int word = rn.sfBit() | op << 30 | 0b111010010 << 21 | imm5 << 16 | cond.code() << 12 | 1 << 11
                | rn.encodeZrOperand(what) << 5 | nzcv;
        out.emit(word, () -> insn(mnemonic(), rn, hex(imm5), hex(nzcv), cond.syntax()));
    }
}
