package dev.kiln.backend.aarch64;

/**
 * Scalar floating point on S (f32) and D (f64) registers: moves, arithmetic, rounding, conversions,
 * compares and conditional select; plus the few vector instructions needed for {@code popcnt}
 * (CNT, ADDV) and element moves between general and vector registers (UMOV, INS).
 */
public sealed interface FloatingPointInstructions extends InstructionSink permits A64Assembler {

    // ---- moves ----

    /** {@code fmov rd, rn} between two S or two D registers. */
    default void fmov(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FMOV, rd, rn);
    }

    /** {@code fmov sd, wn} / {@code fmov dd, xn}: copy the bits of a general register. */
    default void fmov(VectorRegister rd, GeneralRegister rn) {
        integerToFloat(FloatIntegerConversionOp.FMOV_FROM_GENERAL, rd, rn);
    }

    /** {@code fmov wd, sn} / {@code fmov xd, dn}: copy the bits to a general register. */
    default void fmov(GeneralRegister rd, VectorRegister rn) {
        floatToInteger(FloatIntegerConversionOp.FMOV_TO_GENERAL, rd, rn);
    }

    /**
     * {@code fmov rd, #value}; the value must be an FMOV immediate ({@link FloatImmediate}), exactly
     * representable in rd's precision.
     */
    default void fmov(VectorRegister rd, double value) {
        int imm8 = rd.shape() == VectorShape.S
                ? ((double) (float) value == value ? FloatImmediate.encodeFloat(Float.floatToRawIntBits((float) value)) : -1)
                : FloatImmediate.encodeDouble(Double.doubleToRawLongBits(value));
        if (imm8 < 0) {
            throw new IllegalArgumentException("fmov: " + value + " is not an 8-bit floating-point immediate");
        }
        FloatImmediate.emit(this, rd, imm8);
    }

    // ---- arithmetic ----

    /** {@code op rd, rn, rm} on S or D registers. */
    default void floatBinary(FloatBinaryOp op, VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        op.emit(this, rd, rn, rm);
    }

    default void fadd(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FADD, rd, rn, rm);
    }

    default void fsub(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FSUB, rd, rn, rm);
    }

    default void fmul(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FMUL, rd, rn, rm);
    }

    default void fdiv(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FDIV, rd, rn, rm);
    }

    /** {@code fmin}: NaN if either is NaN, -0.0 below +0.0 (WebAssembly's min). */
    default void fmin(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FMIN, rd, rn, rm);
    }

    /** {@code fmax}: NaN if either is NaN, +0.0 above -0.0 (WebAssembly's max). */
    default void fmax(VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        floatBinary(FloatBinaryOp.FMAX, rd, rn, rm);
    }

    /** {@code op rd, rn} on S or D registers (FCVT: between S and D). */
    default void floatUnary(FloatUnaryOp op, VectorRegister rd, VectorRegister rn) {
        op.emit(this, rd, rn);
    }

    default void fsqrt(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FSQRT, rd, rn);
    }

    default void fabs(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FABS, rd, rn);
    }

    default void fneg(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FNEG, rd, rn);
    }

    /** Round toward +infinity (ceil). */
    default void frintp(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FRINTP, rd, rn);
    }

    /** Round toward -infinity (floor). */
    default void frintm(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FRINTM, rd, rn);
    }

    /** Round toward zero (trunc). */
    default void frintz(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FRINTZ, rd, rn);
    }

    /** Round to nearest, ties to even (nearest). */
    default void frintn(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FRINTN, rd, rn);
    }

    /** {@code fcvt rd, rn}: S to D (promote) or D to S (demote). */
    default void fcvt(VectorRegister rd, VectorRegister rn) {
        floatUnary(FloatUnaryOp.FCVT, rd, rn);
    }

    // ---- conversions ----

    /** {@code op rd, rn} from S/D to W/X. */
    default void floatToInteger(FloatIntegerConversionOp op, GeneralRegister rd, VectorRegister rn) {
        op.toGeneral(this, rd, rn);
    }

    /** {@code op rd, rn} from W/X to S/D. */
    default void integerToFloat(FloatIntegerConversionOp op, VectorRegister rd, GeneralRegister rn) {
        op.fromGeneral(this, rd, rn);
    }

    /** {@code fcvtzs rd, rn}: to signed integer, toward zero, saturating (NaN gives 0). */
    default void fcvtzs(GeneralRegister rd, VectorRegister rn) {
        floatToInteger(FloatIntegerConversionOp.FCVTZS, rd, rn);
    }

    /** {@code fcvtzu rd, rn}: to unsigned integer, toward zero, saturating (NaN gives 0). */
    default void fcvtzu(GeneralRegister rd, VectorRegister rn) {
        floatToInteger(FloatIntegerConversionOp.FCVTZU, rd, rn);
    }

    /** {@code scvtf rd, rn}: from signed integer, current rounding mode. */
    default void scvtf(VectorRegister rd, GeneralRegister rn) {
        integerToFloat(FloatIntegerConversionOp.SCVTF, rd, rn);
    }

    /** {@code ucvtf rd, rn}: from unsigned integer. */
    default void ucvtf(VectorRegister rd, GeneralRegister rn) {
        integerToFloat(FloatIntegerConversionOp.UCVTF, rd, rn);
    }

    // ---- compare and select ----

    /** {@code fcmp rn, rm}: unordered sets C and V (so use MI/LS/LT-style conditions with care). */
    default void fcmp(VectorRegister rn, VectorRegister rm) {
        FloatCompareOp.FCMP.registers(this, rn, rm);
    }

    /** {@code fcmp rn, #0.0}. */
    default void fcmpZero(VectorRegister rn) {
        FloatCompareOp.FCMP.zero(this, rn);
    }

    /** {@code fcmpe rn, rm}: also signals invalid for quiet NaNs. */
    default void fcmpe(VectorRegister rn, VectorRegister rm) {
        FloatCompareOp.FCMPE.registers(this, rn, rm);
    }

    /** {@code fcmpe rn, #0.0}. */
    default void fcmpeZero(VectorRegister rn) {
        FloatCompareOp.FCMPE.zero(this, rn);
    }

    /** {@code fcsel rd, rn, rm, cond}: rd = cond ? rn : rm. */
    default void fcsel(VectorRegister rd, VectorRegister rn, VectorRegister rm, Condition cond) {
        FloatConditionalSelect.emit(this, rd, rn, rm, cond);
    }

    // ---- vector: popcnt and element moves ----

    /** {@code cnt vd.8b, vn.8b} (or 16B): population count of each byte. */
    default void cnt(VectorRegister vd, VectorRegister vn) {
        VectorOp.CNT.emit(this, vd, vn);
    }

    /** {@code addv bd, vn.8b} (and other arrangements): sum of all lanes into a scalar. */
    default void addv(VectorRegister vd, VectorRegister vn) {
        VectorOp.ADDV.emit(this, vd, vn);
    }

    /** {@code mov vd.16b, vn.16b} (ORR vector with both sources the same): copy all 128 bits. */
    default void movVector(VectorRegister vd, VectorRegister vn) {
        int word = 0x4EA01C00 | vn.number() << 16 | vn.number() << 5 | vd.number();
        emit(word, () -> AsmSyntax.insn("mov", vd.v16b(), vn.v16b()));
    }

    /** {@code umov rd, vn.T[i]}: element to a general register, zero-extended (X for D elements, W otherwise). */
    default void umov(GeneralRegister rd, VectorLane lane) {
        VectorLaneMove.umov(this, rd, lane);
    }

    /** {@code ins vd.T[i], rn} (printed {@code mov}): general register into one element, the others kept. */
    default void ins(VectorLane lane, GeneralRegister rn) {
        VectorLaneMove.ins(this, lane, rn);
    }
}
