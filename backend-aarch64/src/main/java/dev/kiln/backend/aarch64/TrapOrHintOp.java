package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Instructions with at most a 16-bit immediate and no registers: NOP, BRK (breakpoint exception,
 * {@code brk #imm}) and UDF (permanently undefined, {@code udf #imm}; raises SIGILL).
 */
public enum TrapOrHintOp {
    NOP(0xD503201F, -1), BRK(0xD4200000, 5), UDF(0x00000000, 0);

    private final int fixed;
    private final int immediateLsb;

    TrapOrHintOp(int fixed, int immediateLsb) {
        this.fixed = fixed;
        this.immediateLsb = immediateLsb;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, int imm16) {
        if (immediateLsb < 0) {
            if (imm16 != 0) {
                throw new IllegalArgumentException(mnemonic() + " takes no immediate");
            }
            out.emit(fixed, this::mnemonic);
            return;
        }
        Immediates.unsigned(mnemonic(), imm16, 16);
        int word = fixed | imm16 << immediateLsb;
        // objdump prints BRK's immediate in hex and UDF's in decimal
        out.emit(word, () -> insn(mnemonic(), this == BRK ? AsmSyntax.hex(imm16) : AsmSyntax.dec(imm16)));
    }
}
