package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/** Branches to an address in an X register: BR (jump), BLR (call), RET (return, X30 by default). */
public enum BranchRegisterOp {
    BR(0xD61F0000), BLR(0xD63F0000), RET(0xD65F0000);

    private final int fixed;

    BranchRegisterOp(int fixed) {
        this.fixed = fixed;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, GeneralRegister rn) {
        rn.require64(mnemonic());
        int word = fixed | rn.encodeZrOperand(mnemonic()) << 5;
        out.emit(word, () -> this == RET && rn == GeneralRegister.X30 ? "ret" : insn(mnemonic(), rn));
    }
}
