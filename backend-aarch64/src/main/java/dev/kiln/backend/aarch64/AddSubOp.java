package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.hex;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * ADD, ADDS, SUB, SUBS in their three forms: immediate (12 bits, optionally shifted left by 12),
 * shifted register and extended register. The aliases MOV (to/from SP), CMP, CMN, NEG and NEGS are
 * the same encodings and are printed as objdump prefers them.
 */
public enum AddSubOp {
    ADD(0, false), ADDS(0, true), SUB(1, false), SUBS(1, true);

    private final int op;
    /** True for ADDS and SUBS, which set NZCV and write the zero register (not SP) as register 31. */
    public final boolean setsFlags;

    AddSubOp(int op, boolean setsFlags) {
        this.op = op;
        this.setsFlags = setsFlags;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    private int fixed() {
        return op << 30 | (setsFlags ? 1 << 29 : 0);
    }

    /** True when {@code value} fits the immediate form: 0-4095, or a multiple of 4096 up to 0xfff000. */
    public static boolean isImmediateEncodable(long value) {
        return (value >= 0 && value < 4096) || ((value & 0xFFF) == 0 && value >= 0 && value < (1L << 24));
    }

    /** {@code op rd, rn, #imm}; imm is 0-4095 or a multiple of 4096 below 2^24 (encoded with LSL #12). */
    void immediate(InstructionSink out, GeneralRegister rd, GeneralRegister rn, long imm) {
        String what = mnemonic() + " (immediate)";
        GeneralRegister.requireSameWidth(what, rd, rn);
        if (!isImmediateEncodable(imm)) {
            throw new IllegalArgumentException(what + ": immediate " + imm
                    + " is not 0..4095 or a multiple of 4096 below 2^24");
        }
        boolean shifted = imm >= 4096;
        int imm12 = (int) (shifted ? imm >>> 12 : imm);
        int d = setsFlags ? rd.encodeZrOperand(what) : rd.encodeSpOperand(what);
        int n = rn.encodeSpOperand(what);
        int word = rd.sfBit() | fixed() | 0b100010 << 23 | (shifted ? 1 << 22 : 0) | imm12 << 10 | n << 5 | d;
        out.emit(word, () -> {
            String lsl = shifted ? ", lsl #12" : "";
            if (op == 0 && !setsFlags && imm == 0 && (rd.isStackPointer() || rn.isStackPointer())) {
                return insn("mov", rd, rn);
            }
            if (setsFlags && rd.isZero()) {
                return insn(op == 0 ? "cmn" : "cmp", rn, hex(imm12) + lsl);
            }
            return insn(mnemonic(), rd, rn, hex(imm12) + lsl);
        });
    }

    /** {@code op rd, rn, rm, shift #amount} (no ROR; register 31 is the zero register everywhere). */
    void shiftedRegister(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm,
                         Shift shift, int amount) {
        String what = mnemonic() + " (shifted register)";
        GeneralRegister.requireSameWidth(what, rd, rn, rm);
        if (shift == Shift.ROR) {
            throw new IllegalArgumentException(what + ": ROR is not allowed");
        }
        Immediates.inRange(what + " shift amount", amount, 0, rd.width() - 1);
        int d = rd.encodeZrOperand(what);
        int n = rn.encodeZrOperand(what);
        int m = rm.encodeZrOperand(what);
        int word = rd.sfBit() | fixed() | 0b01011 << 24 | shift.code() << 22 | m << 16 | amount << 10 | n << 5 | d;
        out.emit(word, () -> {
            String rmText = rm + AsmSyntax.shiftSuffix(shift, amount);
            if (setsFlags && rd.isZero()) {
                return insn(op == 0 ? "cmn" : "cmp", rn, rmText);
            }
            if (op == 1 && rn.isZero()) {
                return insn(setsFlags ? "negs" : "neg", rd, rmText);
            }
            return insn(mnemonic(), rd, rn, rmText);
        });
    }

    /**
     * {@code op rd, rn, rm, extend #amount} (amount 0-4). rd (unless the op sets flags) and rn may
     * be SP. In a 64-bit operation rm is read as an X register for UXTX/SXTX and as a W register
     * otherwise; either view of rm may be passed.
     */
    void extendedRegister(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm,
                          Extend extend, int amount) {
        String what = mnemonic() + " (extended register)";
        GeneralRegister.requireSameWidth(what, rd, rn);
        Immediates.inRange(what + " shift amount", amount, 0, 4);
        int d = setsFlags ? rd.encodeZrOperand(what) : rd.encodeSpOperand(what);
        int n = rn.encodeSpOperand(what);
        int m = rm.encodeZrOperand(what);
        GeneralRegister rmView = rm.view(rd.is64() && extend.takes64BitRegister());
        int word = rd.sfBit() | fixed() | 0b01011 << 24 | 1 << 21 | m << 16 | extend.code() << 13
                | amount << 10 | n << 5 | d;
        out.emit(word, () -> {
            boolean involvesSp = rn.isStackPointer() || (!setsFlags && rd.isStackPointer());
            boolean lslAlias = involvesSp && extend == (rd.is64() ? Extend.UXTX : Extend.UXTW);
            String rmText = lslAlias
                    ? rmView + (amount == 0 ? "" : ", lsl #" + amount)
                    : rmView + ", " + extend.syntax() + (amount == 0 ? "" : " #" + amount);
            if (setsFlags && rd.isZero()) {
                return insn(op == 0 ? "cmn" : "cmp", rn, rmText);
            }
            return insn(mnemonic(), rd, rn, rmText);
        });
    }
}
