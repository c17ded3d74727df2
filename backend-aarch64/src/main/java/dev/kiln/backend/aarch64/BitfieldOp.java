package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.dec;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * SBFM, BFM and UBFM (bitfield move, fields {@code immr} and {@code imms}), and EXTR. The shifts by
 * an immediate, sign/zero extensions and field extract/insert operations are their aliases; the
 * listing uses the alias objdump prefers for each encoding (e.g. {@code lsl}, {@code sxtw},
 * {@code ubfx}).
 */
public enum BitfieldOp {
    SBFM(0), BFM(1), UBFM(2);

    private final int opc;

    BitfieldOp(int opc) {
        this.opc = opc;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    /**
     * {@code op rd, rn, #immr, #imms}. rn may be given in either view; it takes rd's width except
     * where the alias reads a W register (sxtb/sxth/sxtw/uxtb/uxth).
     */
    void emit(InstructionSink out, GeneralRegister rd, GeneralRegister rn, int immr, int imms) {
        String what = mnemonic();
        int width = rd.width();
        Immediates.inRange(what + " immr", immr, 0, width - 1);
        Immediates.inRange(what + " imms", imms, 0, width - 1);
        int d = rd.encodeZrOperand(what);
        int n = rn.encodeZrOperand(what);
        if (this == BFM && rn.isZero()) {
            throw new IllegalArgumentException("bfm: use AND to clear a bitfield instead of inserting the zero register");
        }
        GeneralRegister src = rn.view(rd.is64());
        int sf = rd.is64() ? 1 : 0;
        int word = sf << 31 | opc << 29 | 0b100110 << 23 | sf << 22 | immr << 16 | imms << 10 | n << 5 | d;
        out.emit(word, () -> text(rd, src, immr, imms));
    }

    private String text(GeneralRegister rd, GeneralRegister rn, int immr, int imms) {
        int width = rd.width();
        int top = width - 1;
        switch (this) {
            case SBFM -> {
                if (imms == top) return insn("asr", rd, rn, dec(immr));
                if (imms < immr) return insn("sbfiz", rd, rn, dec((width - immr) % width), dec(imms + 1));
                if (bfxPreferred(rd.is64(), false, imms, immr)) return insn("sbfx", rd, rn, dec(immr), dec(imms - immr + 1));
                if (immr == 0 && imms == 7) return insn("sxtb", rd, rn.w());
                if (immr == 0 && imms == 15) return insn("sxth", rd, rn.w());
                if (immr == 0 && imms == 31) return insn("sxtw", rd, rn.w());
            }
            case UBFM -> {
                if (imms != top && imms + 1 == immr) return insn("lsl", rd, rn, dec(top - imms));
                if (imms == top) return insn("lsr", rd, rn, dec(immr));
                if (imms < immr) return insn("ubfiz", rd, rn, dec((width - immr) % width), dec(imms + 1));
                if (bfxPreferred(rd.is64(), true, imms, immr)) return insn("ubfx", rd, rn, dec(immr), dec(imms - immr + 1));
                if (immr == 0 && imms == 7) return insn("uxtb", rd, rn.w());
                if (immr == 0 && imms == 15) return insn("uxth", rd, rn.w());
            }
            case BFM -> {
                if (imms < immr) return insn("bfi", rd, rn, dec((width - immr) % width), dec(imms + 1));
                return insn("bfxil", rd, rn, dec(immr), dec(imms - immr + 1));
            }
        }
        return insn(mnemonic(), rd, rn, dec(immr), dec(imms));
    }

    /** BFXPreferred() from the Arm ARM: whether the SBFX/UBFX alias is the preferred disassembly. */
    private static boolean bfxPreferred(boolean sf, boolean unsigned, int imms, int immr) {
        if (imms < immr) return false;
        if (imms == (sf ? 63 : 31)) return false;
        if (immr == 0) {
            if (!sf && (imms == 7 || imms == 15)) return false;
            if (sf && !unsigned && (imms == 7 || imms == 15 || imms == 31)) return false;
        }
        return true;
    }

    /** {@code extr rd, rn, rm, #lsb}: bits lsb.. of the concatenation rn:rm; {@code ror} when rn == rm. */
    static void extract(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, int lsb) {
        String what = "extr";
        GeneralRegister.requireSameWidth(what, rd, rn, rm);
        Immediates.inRange(what + " lsb", lsb, 0, rd.width() - 1);
        int d = rd.encodeZrOperand(what);
        int n = rn.encodeZrOperand(what);
        int m = rm.encodeZrOperand(what);
        int sf = rd.is64() ? 1 : 0;
        int word = sf << 31 | 0b00100111 << 23 | sf << 22 | m << 16 | lsb << 10 | n << 5 | d;
        out.emit(word, () -> n == m ? insn("ror", rd, rn, dec(lsb)) : insn("extr", rd, rn, rm, dec(lsb)));
    }
}
