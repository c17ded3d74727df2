package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.GeneralRegister.WZR;
import static dev.kiln.backend.aarch64.GeneralRegister.XZR;

/**
 * Logical operations (shifted register and bitmask immediate) with the TST/MVN/MOV aliases,
 * register and immediate moves, shifts and rotates, sign/zero extension, bitfield operations and
 * bit counting/reversal. Width follows the registers (W views: 32-bit, X views: 64-bit).
 */
public sealed interface BitwiseInstructions extends InstructionSink permits A64Assembler {

    // ---- logical ----

    /** {@code op rd, rn, rm}. */
    default void logical(LogicalOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        op.shiftedRegister(this, rd, rn, rm, Shift.LSL, 0);
    }

    /** {@code op rd, rn, rm, shift #amount} (LSL, LSR, ASR or ROR). */
    default void logical(LogicalOp op, GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        op.shiftedRegister(this, rd, rn, rm, shift, amount);
    }

    /** {@code op rd, rn, #imm} with a bitmask immediate (AND, ORR, EOR, ANDS; see {@link LogicalImmediate}). */
    default void logical(LogicalOp op, GeneralRegister rd, GeneralRegister rn, long imm) {
        op.immediate(this, rd, rn, imm);
    }

    default void and(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.AND, rd, rn, rm);
    }

    default void and(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.AND, rd, rn, rm, shift, amount);
    }

    default void and(GeneralRegister rd, GeneralRegister rn, long imm) {
        logical(LogicalOp.AND, rd, rn, imm);
    }

    default void ands(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.ANDS, rd, rn, rm);
    }

    default void ands(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.ANDS, rd, rn, rm, shift, amount);
    }

    default void ands(GeneralRegister rd, GeneralRegister rn, long imm) {
        logical(LogicalOp.ANDS, rd, rn, imm);
    }

    default void orr(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.ORR, rd, rn, rm);
    }

    default void orr(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.ORR, rd, rn, rm, shift, amount);
    }

    default void orr(GeneralRegister rd, GeneralRegister rn, long imm) {
        logical(LogicalOp.ORR, rd, rn, imm);
    }

    default void eor(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.EOR, rd, rn, rm);
    }

    default void eor(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.EOR, rd, rn, rm, shift, amount);
    }

    default void eor(GeneralRegister rd, GeneralRegister rn, long imm) {
        logical(LogicalOp.EOR, rd, rn, imm);
    }

    default void bic(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.BIC, rd, rn, rm);
    }

    default void bic(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.BIC, rd, rn, rm, shift, amount);
    }

    default void bics(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.BICS, rd, rn, rm);
    }

    default void orn(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.ORN, rd, rn, rm);
    }

    default void orn(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.ORN, rd, rn, rm, shift, amount);
    }

    default void eon(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.EON, rd, rn, rm);
    }

    /** {@code tst rn, rm} = ANDS zr, rn, rm. */
    default void tst(GeneralRegister rn, GeneralRegister rm) {
        logical(LogicalOp.ANDS, zeroLike(rn), rn, rm);
    }

    default void tst(GeneralRegister rn, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.ANDS, zeroLike(rn), rn, rm, shift, amount);
    }

    /** {@code tst rn, #imm} = ANDS zr, rn, #imm (bitmask immediate). */
    default void tst(GeneralRegister rn, long imm) {
        logical(LogicalOp.ANDS, zeroLike(rn), rn, imm);
    }

    /** {@code mvn rd, rm} = ORN rd, zr, rm. */
    default void mvn(GeneralRegister rd, GeneralRegister rm) {
        logical(LogicalOp.ORN, rd, zeroLike(rd), rm);
    }

    default void mvn(GeneralRegister rd, GeneralRegister rm, Shift shift, int amount) {
        logical(LogicalOp.ORN, rd, zeroLike(rd), rm, shift, amount);
    }

    // ---- moves ----

    /**
     * {@code mov rd, rn}: ORR rd, zr, rn between general registers, or ADD rd, rn, #0 when either is
     * SP. Moving a W register zero-extends into the X register.
     */
    default void mov(GeneralRegister rd, GeneralRegister rn) {
        if (rd.isStackPointer() || rn.isStackPointer()) {
            AddSubOp.ADD.immediate(this, rd, rn, 0);
        } else {
            logical(LogicalOp.ORR, rd, zeroLike(rd), rn);
        }
    }

    /** Puts any constant in rd (only the low 32 bits for a W register) with 1-4 instructions; see {@link MoveImmediate}. */
    default void mov(GeneralRegister rd, long value) {
        MoveImmediate.emit(this, rd, value);
    }

    /** {@code op rd, #imm16, lsl #shift}. */
    default void moveWide(MoveWideOp op, GeneralRegister rd, int imm16, int shift) {
        op.emit(this, rd, imm16, shift);
    }

    /** {@code movz rd, #imm16, lsl #shift}: rd = imm16 << shift. */
    default void movz(GeneralRegister rd, int imm16, int shift) {
        moveWide(MoveWideOp.MOVZ, rd, imm16, shift);
    }

    /** {@code movn rd, #imm16, lsl #shift}: rd = ~(imm16 << shift). */
    default void movn(GeneralRegister rd, int imm16, int shift) {
        moveWide(MoveWideOp.MOVN, rd, imm16, shift);
    }

    /** {@code movk rd, #imm16, lsl #shift}: replaces one halfword of rd. */
    default void movk(GeneralRegister rd, int imm16, int shift) {
        moveWide(MoveWideOp.MOVK, rd, imm16, shift);
    }

    // ---- shifts ----

    /** {@code lsl rd, rn, #shift} = UBFM. */
    default void lsl(GeneralRegister rd, GeneralRegister rn, int shift) {
        int width = rd.width();
        Immediates.inRange("lsl shift", shift, 0, width - 1);
        bitfield(BitfieldOp.UBFM, rd, rn, (width - shift) % width, width - 1 - shift);
    }

    /** {@code lsr rd, rn, #shift} = UBFM. */
    default void lsr(GeneralRegister rd, GeneralRegister rn, int shift) {
        bitfield(BitfieldOp.UBFM, rd, rn, shift, rd.width() - 1);
    }

    /** {@code asr rd, rn, #shift} = SBFM. */
    default void asr(GeneralRegister rd, GeneralRegister rn, int shift) {
        bitfield(BitfieldOp.SBFM, rd, rn, shift, rd.width() - 1);
    }

    /** {@code ror rd, rn, #shift} = EXTR rd, rn, rn, #shift. */
    default void ror(GeneralRegister rd, GeneralRegister rn, int shift) {
        extr(rd, rn, rn, shift);
    }

    /** {@code lsl rd, rn, rm} (LSLV): shift by rm modulo the width. */
    default void lsl(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        DataProcessing2Op.LSLV.emit(this, rd, rn, rm);
    }

    /** {@code lsr rd, rn, rm} (LSRV). */
    default void lsr(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        DataProcessing2Op.LSRV.emit(this, rd, rn, rm);
    }

    /** {@code asr rd, rn, rm} (ASRV). */
    default void asr(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        DataProcessing2Op.ASRV.emit(this, rd, rn, rm);
    }

    /** {@code ror rd, rn, rm} (RORV). */
    default void ror(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm) {
        DataProcessing2Op.RORV.emit(this, rd, rn, rm);
    }

    // ---- extension and bitfields (rn may be passed in either view) ----

    /** {@code sxtb rd, wn}: sign-extend the low byte to rd's width. */
    default void sxtb(GeneralRegister rd, GeneralRegister rn) {
        bitfield(BitfieldOp.SBFM, rd, rn, 0, 7);
    }

    /** {@code sxth rd, wn}. */
    default void sxth(GeneralRegister rd, GeneralRegister rn) {
        bitfield(BitfieldOp.SBFM, rd, rn, 0, 15);
    }

    /** {@code sxtw xd, wn}. */
    default void sxtw(GeneralRegister xd, GeneralRegister rn) {
        xd.require64("sxtw");
        bitfield(BitfieldOp.SBFM, xd, rn, 0, 31);
    }

    /** {@code uxtb wd, wn}; writing a W register also clears the upper 32 bits of the X register. */
    default void uxtb(GeneralRegister rd, GeneralRegister rn) {
        bitfield(BitfieldOp.UBFM, rd.w(), rn, 0, 7);
    }

    /** {@code uxth wd, wn}. */
    default void uxth(GeneralRegister rd, GeneralRegister rn) {
        bitfield(BitfieldOp.UBFM, rd.w(), rn, 0, 15);
    }

    /** {@code uxtw}: zero-extending a W value to X is {@code mov wd, wn}. */
    default void uxtw(GeneralRegister rd, GeneralRegister rn) {
        mov(rd.w(), rn.w());
    }

    /** {@code op rd, rn, #immr, #imms}. */
    default void bitfield(BitfieldOp op, GeneralRegister rd, GeneralRegister rn, int immr, int imms) {
        op.emit(this, rd, rn, immr, imms);
    }

    /** {@code ubfx rd, rn, #lsb, #width}: extract {@code width} bits from bit {@code lsb}, zero-extended. */
    default void ubfx(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.UBFM, rd, rn, lsb, lsb + width - 1);
    }

    /** {@code sbfx rd, rn, #lsb, #width}: extract, sign-extended. */
    default void sbfx(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.SBFM, rd, rn, lsb, lsb + width - 1);
    }

    /** {@code ubfiz rd, rn, #lsb, #width}: the low {@code width} bits of rn placed at {@code lsb}, zeros elsewhere. */
    default void ubfiz(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.UBFM, rd, rn, (rd.width() - lsb) % rd.width(), width - 1);
    }

    /** {@code sbfiz rd, rn, #lsb, #width}. */
    default void sbfiz(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.SBFM, rd, rn, (rd.width() - lsb) % rd.width(), width - 1);
    }

    /** {@code bfi rd, rn, #lsb, #width}: insert the low {@code width} bits of rn at {@code lsb}, keeping the rest of rd. */
    default void bfi(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.BFM, rd, rn, (rd.width() - lsb) % rd.width(), width - 1);
    }

    /** {@code bfxil rd, rn, #lsb, #width}: copy bits lsb..lsb+width-1 of rn to the bottom of rd. */
    default void bfxil(GeneralRegister rd, GeneralRegister rn, int lsb, int width) {
        checkField(rd, lsb, width);
        bitfield(BitfieldOp.BFM, rd, rn, lsb, lsb + width - 1);
    }

    private static void checkField(GeneralRegister rd, int lsb, int width) {
        if (lsb < 0 || width < 1 || lsb + width > rd.width()) {
            throw new IllegalArgumentException("bitfield lsb " + lsb + " width " + width + " does not fit "
                    + rd.width() + " bits");
        }
    }

    /** {@code extr rd, rn, rm, #lsb}. */
    default void extr(GeneralRegister rd, GeneralRegister rn, GeneralRegister rm, int lsb) {
        BitfieldOp.extract(this, rd, rn, rm, lsb);
    }

    // ---- bit counting and reversal ----

    /** {@code op rd, rn}. */
    default void dataProcessing1(DataProcessing1Op op, GeneralRegister rd, GeneralRegister rn) {
        op.emit(this, rd, rn);
    }

    /** {@code clz rd, rn}: count leading zeros (the width for zero). */
    default void clz(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.CLZ, rd, rn);
    }

    /** {@code cls rd, rn}: count leading sign bits. */
    default void cls(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.CLS, rd, rn);
    }

    /** {@code rbit rd, rn}: reverse the bits (with CLZ, counts trailing zeros). */
    default void rbit(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.RBIT, rd, rn);
    }

    /** {@code rev rd, rn}: reverse the bytes. */
    default void rev(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.REV, rd, rn);
    }

    /** {@code rev16 rd, rn}: reverse the bytes in each halfword. */
    default void rev16(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.REV16, rd, rn);
    }

    /** {@code rev32 xd, xn}: reverse the bytes in each word. */
    default void rev32(GeneralRegister rd, GeneralRegister rn) {
        dataProcessing1(DataProcessing1Op.REV32, rd, rn);
    }

    private static GeneralRegister zeroLike(GeneralRegister r) {
        return r.is64() ? XZR : WZR;
    }
}
