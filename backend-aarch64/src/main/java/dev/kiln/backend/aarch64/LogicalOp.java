package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.hex;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * The logical operations in their shifted-register form (all eight) and immediate form (AND, ORR,
 * EOR, ANDS with a {@link LogicalImmediate bitmask immediate}). The aliases MOV, MVN and TST are
 * printed as objdump prefers them.
 */
public enum LogicalOp {
    AND(0, false), BIC(0, true), ORR(1, false), ORN(1, true), EOR(2, false), EON(2, true), ANDS(3, false), BICS(3, true);

    private final int opc;
    /** True for the forms that invert the second operand (BIC, ORN, EON, BICS); they have no immediate form. */
    public final boolean invertsOperand;

    LogicalOp(int opc, boolean invertsOperand) {
        this.opc = opc;
        this.invertsOperand = invertsOperand;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    /** {@code op rd, rn, rm, shift #amount}; register 31 is the zero register everywhere. */
    void shiftedRegister(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm,
                         Shift shift, int amount) {
        String what = mnemonic() + " (shifted register)";
        GeneralRegister.requireSameWidth(what, rd, rn, rm);
        Immediates.inRange(what + " shift amount", amount, 0, rd.width() - 1);
        int d = rd.encodeZrOperand(what);
        int n = rn.encodeZrOperand(what);
        int m = rm.encodeZrOperand(what);
        int word = rd.sfBit() | opc << 29 | 0b01010 << 24 | shift.code() << 22 | (invertsOperand ? 1 << 21 : 0)
                | m << 16 | amount << 10 | n << 5 | d;
        out.emit(word, () -> {
            String rmText = rm + AsmSyntax.shiftSuffix(shift, amount);
            if (this == ANDS && rd.isZero()) {
                return insn("tst", rn, rmText);
            }
            if (this == ORR && rn.isZero() && shift == Shift.LSL && amount == 0) {
                return insn("mov", rd, rm);
            }
            if (this == ORN && rn.isZero()) {
                return insn("mvn", rd, rmText);
            }
            return insn(mnemonic(), rd, rn, rmText);
        });
    }

    /**
     * {@code op rd, rn, #imm} with a bitmask immediate (see {@link LogicalImmediate}). rd may be SP
     * for AND, ORR and EOR; for a 32-bit operation only the low 32 bits of imm count.
     */
    void immediate(InstructionSink out, GeneralRegister rd, GeneralRegister rn, long imm) {
        String what = mnemonic() + " (immediate)";
        if (invertsOperand) {
            throw new IllegalArgumentException(mnemonic() + " has no immediate form (invert the immediate and use "
                    + (this == BIC ? "and" : this == ORN ? "orr" : this == EON ? "eor" : "ands") + ")");
        }
        GeneralRegister.requireSameWidth(what, rd, rn);
        int field = LogicalImmediate.encode(imm, rd.width());
        if (field < 0) {
            throw new IllegalArgumentException(what + ": 0x" + Long.toHexString(imm)
                    + " is not a " + rd.width() + "-bit bitmask immediate");
        }
        int d = this == ANDS ? rd.encodeZrOperand(what) : rd.encodeSpOperand(what);
        int n = rn.encodeZrOperand(what);
        int word = rd.sfBit() | opc << 29 | 0b100100 << 23 | field << 10 | n << 5 | d;
        long value = LogicalImmediate.decode(field, rd.width());
        out.emit(word, () -> {
            String immText = hex(value, rd.width());
            if (this == ANDS && rd.isZero()) {
                return insn("tst", rn, immText);
            }
            if (this == ORR && rn.isZero() && !MoveWideOp.isSingleInstruction(value, rd.width())) {
                return insn("mov", rd, immText);
            }
            return insn(mnemonic(), rd, rn, immText);
        });
    }
}
