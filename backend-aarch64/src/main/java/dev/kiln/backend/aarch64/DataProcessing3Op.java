package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Data-processing (3 source): multiply-add/subtract, the widening 32x32->64 forms and the high
 * halves of 64x64 products. {@code op rd, rn, rm, ra}; with ra = the zero register the listing
 * uses the aliases MUL, MNEG, SMULL, SMNEGL, UMULL, UMNEGL.
 */
public enum DataProcessing3Op {
    MADD(0b000, 0, Kind.SAME_WIDTH, "mul"), MSUB(0b000, 1, Kind.SAME_WIDTH, "mneg"),
    SMADDL(0b001, 0, Kind.WIDENING, "smull"), SMSUBL(0b001, 1, Kind.WIDENING, "smnegl"),
    SMULH(0b010, 0, Kind.HIGH, null),
    UMADDL(0b101, 0, Kind.WIDENING, "umull"), UMSUBL(0b101, 1, Kind.WIDENING, "umnegl"),
    UMULH(0b110, 0, Kind.HIGH, null);

    private enum Kind { SAME_WIDTH, WIDENING, HIGH }

    private final int op31;
    private final int o0;
    private final Kind kind;
    private final String aliasWithoutAddend;

    DataProcessing3Op(int op31, int o0, Kind kind, String aliasWithoutAddend) {
        this.op31 = op31;
        this.o0 = o0;
        this.kind = kind;
        this.aliasWithoutAddend = aliasWithoutAddend;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    /**
     * {@code op rd, rn, rm, ra}. MADD/MSUB: all registers of one width. The widening forms: rd and
     * ra X, rn and rm W. SMULH/UMULH: all X, and ra must be XZR.
     */
    void emit(InstructionSink out, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, GeneralRegister ra) {
        String what = mnemonic();
        switch (kind) {
            case SAME_WIDTH -> GeneralRegister.requireSameWidth(what, rd, rn, rm, ra);
            case WIDENING -> {
                rd.require64(what);
                ra.require64(what);
                rn.require32(what);
                rm.require32(what);
            }
            case HIGH -> {
                GeneralRegister.requireSameWidth(what, rd, rn, rm, ra);
                rd.require64(what);
                if (!ra.isZero()) {
                    throw new IllegalArgumentException(what + " has no addend register");
                }
            }
        }
        int sf = kind == Kind.SAME_WIDTH ? rd.sfBit() : 1 << 31;
        int word = sf | 0b11011 << 24 | op31 << 21 | rm.encodeZrOperand(what) << 16 | o0 << 15
                | ra.encodeZrOperand(what) << 10 | rn.encodeZrOperand(what) << 5 | rd.encodeZrOperand(what);
        out.emit(word, () -> {
            if (kind == Kind.HIGH) return insn(mnemonic(), rd, rn, rm);
            if (ra.isZero()) return insn(aliasWithoutAddend, rd, rn, rm);
            return insn(mnemonic(), rd, rn, rm, ra);
        });
    }
}
