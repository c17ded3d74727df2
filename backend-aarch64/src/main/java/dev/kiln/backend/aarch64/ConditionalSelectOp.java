package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Conditional select: {@code op rd, rn, rm, cond} gives rn when cond holds, else rm (CSEL), rm + 1
 * (CSINC), ~rm (CSINV) or -rm (CSNEG). CSET, CSETM, CINC, CINV and CNEG are aliases with the
 * inverted condition; the listing uses them where objdump does.
 */
public enum ConditionalSelectOp {
    CSEL(0, 0, null, null), CSINC(0, 1, "cset", "cinc"), CSINV(1, 0, "csetm", "cinv"), CSNEG(1, 1, null, "cneg");

    private final int op;
    private final int op2;
    private final String aliasFromZero;
    private final String aliasSameSource;

    ConditionalSelectOp(int op, int op2, String aliasFromZero, String aliasSameSource) {
        this.op = op;
        this.op2 = op2;
        this.aliasFromZero = aliasFromZero;
        this.aliasSameSource = aliasSameSource;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Condition cond) {
        String what = mnemonic();
        GeneralRegister.requireSameWidth(what, rd, rn, rm);
        int n = rn.encodeZrOperand(what);
        int m = rm.encodeZrOperand(what);
        int word = rd.sfBit() | op << 30 | 0b11010100 << 21 | m << 16 | cond.code() << 12 | op2 << 10
                | n << 5 | rd.encodeZrOperand(what);
        out.emit(word, () -> {
            boolean invertible = cond != Condition.AL && cond != Condition.NV;
            if (invertible && n == m) {
                if (aliasFromZero != null && rn.isZero()) return insn(aliasFromZero, rd, cond.invert().syntax());
                if (aliasSameSource != null) return insn(aliasSameSource, rd, rn, cond.invert().syntax());
            }
            return insn(mnemonic(), rd, rn, rm, cond.syntax());
        });
    }
}
