package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.GeneralRegister.WZR;
import static dev.kiln.backend.aarch64.GeneralRegister.XZR;

/**
 * Integer arithmetic: add/subtract (immediate, shifted register, extended register) with the
 * compare and negate aliases, multiply, multiply-add and divide. Width (32 or 64 bits) follows the
 * registers: pass W views for 32-bit operations, X views for 64-bit ones.
 */
public sealed interface ArithmeticInstructions extends InstructionSink permits A64Assembler {

    // ---- add/subtract, generic ----

    /** {@code op rd, rn, #imm}: imm is 0-4095 or a multiple of 4096 below 2^24 (see {@link AddSubOp#isImmediateEncodable}). */
    default void addSub(AddSubOp op, GeneralRegister rd, GeneralRegister rn, long imm) {
        op.immediate(this, rd, rn, imm);
    }

    /**
     * {@code op rd, rn, rm}. When rd (for ADD/SUB) or rn is SP this uses the extended-register form
     * (UXTX/UXTW #0), as the assembler does; otherwise the shifted-register form.
     */
    default void addSub(AddSubOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        if (rn.isStackPointer() || (!op.setsFlags && rd.isStackPointer())) {
            op.extendedRegister(this, rd, rn, rm, rd.is64() ? Extend.UXTX : Extend.UXTW, 0);
        } else {
            op.shiftedRegister(this, rd, rn, rm, Shift.LSL, 0);
        }
    }

    /** {@code op rd, rn, rm, shift #amount} (LSL, LSR or ASR). */
    default void addSub(AddSubOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        op.shiftedRegister(this, rd, rn, rm, shift, amount);
    }

    /** {@code op rd, rn, rm, extend #amount} (amount 0-4), e.g. {@code add x0, x1, w2, uxtw}. */
    default void addSub(AddSubOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        op.extendedRegister(this, rd, rn, rm, extend, amount);
    }

    // ---- add/subtract, by mnemonic ----

    default void add(GeneralRegister rd, GeneralRegister rn, long imm) {
        addSub(AddSubOp.ADD, rd, rn, imm);
    }

    default void add(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.ADD, rd, rn, rm);
    }

    default void add(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.ADD, rd, rn, rm, shift, amount);
    }

    default void add(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.ADD, rd, rn, rm, extend, amount);
    }

    default void adds(GeneralRegister rd, GeneralRegister rn, long imm) {
        addSub(AddSubOp.ADDS, rd, rn, imm);
    }

    default void adds(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.ADDS, rd, rn, rm);
    }

    default void adds(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.ADDS, rd, rn, rm, shift, amount);
    }

    default void adds(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.ADDS, rd, rn, rm, extend, amount);
    }

    default void sub(GeneralRegister rd, GeneralRegister rn, long imm) {
        addSub(AddSubOp.SUB, rd, rn, imm);
    }

    default void sub(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.SUB, rd, rn, rm);
    }

    default void sub(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.SUB, rd, rn, rm, shift, amount);
    }

    default void sub(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.SUB, rd, rn, rm, extend, amount);
    }

    default void subs(GeneralRegister rd, GeneralRegister rn, long imm) {
        addSub(AddSubOp.SUBS, rd, rn, imm);
    }

    default void subs(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.SUBS, rd, rn, rm);
    }

    default void subs(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.SUBS, rd, rn, rm, shift, amount);
    }

    default void subs(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.SUBS, rd, rn, rm, extend, amount);
    }

    /** {@code cmp rn, #imm} = SUBS zr, rn, #imm. */
    default void cmp(GeneralRegister rn, long imm) {
        addSub(AddSubOp.SUBS, zeroLike(rn), rn, imm);
    }

    /** {@code cmp rn, rm}; rn may be SP. */
    default void cmp(GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.SUBS, zeroLike(rn), rn, rm);
    }

    default void cmp(GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.SUBS, zeroLike(rn), rn, rm, shift, amount);
    }

    default void cmp(GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.SUBS, zeroLike(rn), rn, rm, extend, amount);
    }

    /** {@code cmn rn, #imm} = ADDS zr, rn, #imm. */
    default void cmn(GeneralRegister rn, long imm) {
        addSub(AddSubOp.ADDS, zeroLike(rn), rn, imm);
    }

    default void cmn(GeneralRegister rn, GeneralRegister rm) {
        addSub(AddSubOp.ADDS, zeroLike(rn), rn, rm);
    }

    default void cmn(GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.ADDS, zeroLike(rn), rn, rm, shift, amount);
    }

    default void cmn(GeneralRegister rn, GeneralRegister rm, Extend extend, int amount) {
        addSub(AddSubOp.ADDS, zeroLike(rn), rn, rm, extend, amount);
    }

    /** {@code neg rd, rm} = SUB rd, zr, rm. */
    default void neg(GeneralRegister rd, GeneralRegister rm) {
        addSub(AddSubOp.SUB, rd, zeroLike(rd), rm, Shift.LSL, 0);
    }

    default void neg(GeneralRegister rd, GeneralRegister rm, Shift shift, int amount) {
        addSub(AddSubOp.SUB, rd, zeroLike(rd), rm, shift, amount);
    }

    /** {@code negs rd, rm} = SUBS rd, zr, rm. */
    default void negs(GeneralRegister rd, GeneralRegister rm) {
        addSub(AddSubOp.SUBS, rd, zeroLike(rd), rm, Shift.LSL, 0);
    }

    // ---- multiply and divide ----

    /** {@code op rd, rn, rm, ra}: see {@link DataProcessing3Op} for the register widths of each op. */
    default void multiply(DataProcessing3Op op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, GeneralRegister ra) {
        op.emit(this, rd, rn, rm, ra);
    }

    /** {@code madd rd, rn, rm, ra}: rd = ra + rn * rm. */
    default void madd(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, GeneralRegister ra) {
        multiply(DataProcessing3Op.MADD, rd, rn, rm, ra);
    }

    /** {@code msub rd, rn, rm, ra}: rd = ra - rn * rm (the remainder step after a divide). */
    default void msub(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, GeneralRegister ra) {
        multiply(DataProcessing3Op.MSUB, rd, rn, rm, ra);
    }

    /** {@code mul rd, rn, rm} = MADD rd, rn, rm, zr. */
    default void mul(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        multiply(DataProcessing3Op.MADD, rd, rn, rm, zeroLike(rd));
    }

    /** {@code mneg rd, rn, rm} = MSUB rd, rn, rm, zr. */
    default void mneg(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        multiply(DataProcessing3Op.MSUB, rd, rn, rm, zeroLike(rd));
    }

    /** {@code smull xd, wn, wm}: signed 32x32->64. */
    default void smull(GeneralRegister xd, GeneralRegister wn, GeneralRegister wm) {
        multiply(DataProcessing3Op.SMADDL, xd, wn, wm, XZR);
    }

    /** {@code umull xd, wn, wm}: unsigned 32x32->64. */
    default void umull(GeneralRegister xd, GeneralRegister wn, GeneralRegister wm) {
        multiply(DataProcessing3Op.UMADDL, xd, wn, wm, XZR);
    }

    /** {@code smulh xd, xn, xm}: high 64 bits of the signed 128-bit product. */
    default void smulh(GeneralRegister xd, GeneralRegister xn, GeneralRegister xm) {
        multiply(DataProcessing3Op.SMULH, xd, xn, xm, XZR);
    }

    /** {@code umulh xd, xn, xm}: high 64 bits of the unsigned 128-bit product. */
    default void umulh(GeneralRegister xd, GeneralRegister xn, GeneralRegister xm) {
        multiply(DataProcessing3Op.UMULH, xd, xn, xm, XZR);
    }

    /** {@code op rd, rn, rm} for the divides and shifts by register. */
    default void dataProcessing2(DataProcessing2Op op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        op.emit(this, rd, rn, rm);
    }

    /** {@code sdiv rd, rn, rm}: signed divide rounding toward zero; x/0 = 0 and MIN/-1 = MIN (no trap). */
    default void sdiv(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        dataProcessing2(DataProcessing2Op.SDIV, rd, rn, rm);
    }

    /** {@code udiv rd, rn, rm}: unsigned divide; x/0 = 0 (no trap). */
    default void udiv(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        dataProcessing2(DataProcessing2Op.UDIV, rd, rn, rm);
    }

    private static GeneralRegister zeroLike(GeneralRegister r) {
        return r.is64() ? XZR : WZR;
    }
}
