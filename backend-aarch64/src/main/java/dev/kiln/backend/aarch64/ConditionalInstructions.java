package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.GeneralRegister.WZR;
import static dev.kiln.backend.aarch64.GeneralRegister.XZR;

/**
 * Conditional select (CSEL, CSINC, CSINV, CSNEG and the CSET/CSETM/CINC/CINV/CNEG aliases) and
 * conditional compare (CCMP, CCMN), reading the flags set by an earlier compare.
 */
public sealed interface ConditionalInstructions extends InstructionSink permits A64Assembler {

    /** {@code op rd, rn, rm, cond}. */
    default void conditionalSelect(ConditionalSelectOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm,
                                   Condition cond) {
        op.emit(this, rd, rn, rm, cond);
    }

    /** {@code csel rd, rn, rm, cond}: rd = cond ? rn : rm. */
    default void csel(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSEL, rd, rn, rm, cond);
    }

    /** {@code csinc rd, rn, rm, cond}: rd = cond ? rn : rm + 1. */
    default void csinc(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSINC, rd, rn, rm, cond);
    }

    /** {@code csinv rd, rn, rm, cond}: rd = cond ? rn : ~rm. */
    default void csinv(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSINV, rd, rn, rm, cond);
    }

    /** {@code csneg rd, rn, rm, cond}: rd = cond ? rn : -rm. */
    default void csneg(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSNEG, rd, rn, rm, cond);
    }

    /** {@code cset rd, cond}: rd = cond ? 1 : 0 (CSINC rd, zr, zr, !cond). */
    default void cset(GeneralRegister rd, Condition cond) {
        GeneralRegister zr = zeroLike(rd);
        conditionalSelect(ConditionalSelectOp.CSINC, rd, zr, zr, cond.invert());
    }

    /** {@code csetm rd, cond}: rd = cond ? -1 : 0 (CSINV rd, zr, zr, !cond). */
    default void csetm(GeneralRegister rd, Condition cond) {
        GeneralRegister zr = zeroLike(rd);
        conditionalSelect(ConditionalSelectOp.CSINV, rd, zr, zr, cond.invert());
    }

    /** {@code cinc rd, rn, cond}: rd = cond ? rn + 1 : rn. */
    default void cinc(GeneralRegister rd, GeneralRegister rn, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSINC, rd, rn, rn, cond.invert());
    }

    /** {@code cinv rd, rn, cond}: rd = cond ? ~rn : rn. */
    default void cinv(GeneralRegister rd, GeneralRegister rn, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSINV, rd, rn, rn, cond.invert());
    }

    /** {@code cneg rd, rn, cond}: rd = cond ? -rn : rn. */
    default void cneg(GeneralRegister rd, GeneralRegister rn, Condition cond) {
        conditionalSelect(ConditionalSelectOp.CSNEG, rd, rn, rn, cond.invert());
    }

    /** {@code ccmp rn, rm, #nzcv, cond}: flags = cond ? flags(rn - rm) : nzcv. */
    default void ccmp(GeneralRegister rn, GeneralRegister rm, int nzcv, Condition cond) {
        ConditionalCompareOp.CCMP.register(this, rn, rm, nzcv, cond);
    }

    /** {@code ccmp rn, #imm5, #nzcv, cond}. */
    default void ccmp(GeneralRegister rn, int imm5, int nzcv, Condition cond) {
        ConditionalCompareOp.CCMP.immediate(this, rn, imm5, nzcv, cond);
    }

    /** {@code ccmn rn, rm, #nzcv, cond}: flags = cond ? flags(rn + rm) : nzcv. */
    default void ccmn(GeneralRegister rn, GeneralRegister rm, int nzcv, Condition cond) {
        ConditionalCompareOp.CCMN.register(this, rn, rm, nzcv, cond);
    }

    /** {@code ccmn rn, #imm5, #nzcv, cond}. */
    default void ccmn(GeneralRegister rn, int imm5, int nzcv, Condition cond) {
        ConditionalCompareOp.CCMN.immediate(this, rn, imm5, nzcv, cond);
    }

    private static GeneralRegister zeroLike(GeneralRegister r) {
        return r.is64() ? XZR : WZR;
    }
}
