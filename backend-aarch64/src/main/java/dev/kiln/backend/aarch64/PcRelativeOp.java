package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.address;
import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * The instructions that address code or data relative to their own address: branches to labels
 * and symbols, ADR/ADRP, and LDR (literal). Each entry gives the fixed bits and the displacement
 * field; the other operands are OR-ed in by the caller. Because a forward reference is patched
 * later, listing text is produced from the final word ({@link #text}).
 */
enum PcRelativeOp {
    B(0x14000000, PcRelativeField.IMM26),
    BL(0x94000000, PcRelativeField.IMM26),
    B_COND(0x54000000, PcRelativeField.IMM19),
    CBZ(0x34000000, PcRelativeField.IMM19),
    CBNZ(0x35000000, PcRelativeField.IMM19),
    TBZ(0x36000000, PcRelativeField.IMM14),
    TBNZ(0x37000000, PcRelativeField.IMM14),
    ADR(0x10000000, PcRelativeField.ADR21),
    ADRP(0x90000000, PcRelativeField.ADRP21),
    LDR_W_LITERAL(0x18000000, PcRelativeField.IMM19),
    LDR_X_LITERAL(0x58000000, PcRelativeField.IMM19),
    LDRSW_LITERAL(0x98000000, PcRelativeField.IMM19),
    LDR_S_LITERAL(0x1C000000, PcRelativeField.IMM19),
    LDR_D_LITERAL(0x5C000000, PcRelativeField.IMM19),
    LDR_Q_LITERAL(0x9C000000, PcRelativeField.IMM19);

    final int fixed;
    final PcRelativeField field;

    PcRelativeOp(int fixed, PcRelativeField field) {
        this.fixed = fixed;
        this.field = field;
    }

    /** True for the branches that can be inverted to jump over an unconditional B (relaxation). */
    boolean isConditionalBranch() {
        return this == B_COND || this == CBZ || this == CBNZ || this == TBZ || this == TBNZ;
    }

    /** {@code word} (of this op) with the opposite condition: b.eq/b.ne, cbz/cbnz, tbz/tbnz. */
    int invert(int word) {
        return switch (this) {
            case B_COND -> word ^ 1;
            case CBZ, CBNZ, TBZ, TBNZ -> word ^ (1 << 24);
            default -> throw new IllegalStateException(this + " is not a conditional branch");
        };
    }

    /** The LDR (literal) for a transfer register of this load op. */
    static PcRelativeOp literalLoad(LoadStoreOp op) {
        return switch (op) {
            case LDR_W -> LDR_W_LITERAL;
            case LDR_X -> LDR_X_LITERAL;
            case LDRSW -> LDRSW_LITERAL;
            case LDR_S -> LDR_S_LITERAL;
            case LDR_D -> LDR_D_LITERAL;
            case LDR_Q -> LDR_Q_LITERAL;
            default -> throw new IllegalArgumentException(op.mnemonic() + " has no literal (PC-relative) form");
        };
    }

    /** The target address a word of this op at {@code offset} refers to. */
    long target(int word, int offset) {
        long displacement = field.extract(word);
        return this == ADRP ? (offset & ~0xFFFL) + displacement : offset + displacement;
    }

    /** The instruction as objdump prints it, given its final word and offset. */
    String text(int word, int offset) {
        String target = address(target(word, offset));
        int rt = word & 31;
        boolean sf = word < 0;
        return switch (this) {
            case B -> insn("b", target);
            case BL -> insn("bl", target);
            case B_COND -> insn("b." + Condition.fromCode(word & 15).syntax(), target);
            // the mnemonic comes from the word: relaxation may have inverted it
            case CBZ, CBNZ -> insn((word & (1 << 24)) == 0 ? "cbz" : "cbnz", general(rt, sf), target);
            case TBZ, TBNZ -> {
                int bit = (sf ? 32 : 0) | ((word >>> 19) & 31);
                yield insn((word & (1 << 24)) == 0 ? "tbz" : "tbnz", general(rt, sf), "#" + bit, target);
            }
            case ADR -> insn("adr", general(rt, true), target);
            case ADRP -> insn("adrp", general(rt, true), target);
            case LDR_W_LITERAL -> insn("ldr", general(rt, false), target);
            case LDR_X_LITERAL -> insn("ldr", general(rt, true), target);
            case LDRSW_LITERAL -> insn("ldrsw", general(rt, true), target);
            case LDR_S_LITERAL -> insn("ldr", "s" + rt, target);
            case LDR_D_LITERAL -> insn("ldr", "d" + rt, target);
            case LDR_Q_LITERAL -> insn("ldr", "q" + rt, target);
        };
    }

    private static GeneralRegister general(int number, boolean is64) {
        if (number == 31) {
            return is64 ? GeneralRegister.XZR : GeneralRegister.WZR;
        }
        return is64 ? GeneralRegister.x(number) : GeneralRegister.w(number);
    }
}
