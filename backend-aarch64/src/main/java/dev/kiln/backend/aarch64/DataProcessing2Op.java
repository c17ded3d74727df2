package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Data-processing (2 source): divides and shifts by a register, {@code op rd, rn, rm}. The shifts
 * (LSLV, ...) print as {@code lsl}, {@code lsr}, {@code asr}, {@code ror}, as objdump does.
 */
public enum DataProcessing2Op {
    UDIV(0b000010, "udiv"), SDIV(0b000011, "sdiv"),
    LSLV(0b001000, "lsl"), LSRV(0b001001, "lsr"), ASRV(0b001010, "asr"), RORV(0b001011, "ror");

    private final int opcode;
    private final String syntax;

    DataProcessing2Op(int opcode, String syntax) {
        this.opcode = opcode;
        this.syntax = syntax;
    }

    void emit(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        String what = name().toLowerCase();
        GeneralRegister.requireSameWidth(what, rd, rn, rm);
        int word = rd.sfBit() | 0b0011010110 << 21 | rm.encodeZrOperand(what) << 16 | opcode << 10
                | rn.encodeZrOperand(what) << 5 | rd.encodeZrOperand(what);
        out.emit(word, () -> insn(syntax, rd, rn, rm));
    }
}
