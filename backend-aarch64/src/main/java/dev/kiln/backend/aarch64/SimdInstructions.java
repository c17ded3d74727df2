package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * The Advanced SIMD (NEON) instructions of the SIMD lowering: the table families
 * ({@link SimdThreeSameOp}, {@link SimdTwoMiscOp}, {@link SimdShiftOp}, {@link SimdPermuteOp},
 * {@link SimdWideningOp}, {@link SimdAcrossOp}) and the element moves, table lookups, vector
 * immediates and single-lane loads and stores, encoded here. Operands are
 * {@link VectorRegister}s in arrangements ({@code v3.4s}) or lanes ({@link VectorLane}).
 */
public sealed interface SimdInstructions extends InstructionSink permits A64Assembler {

    /** {@code op vd.T, vn.T, vm.T}. */
    default void simd(SimdThreeSameOp op, VectorRegister vd, VectorRegister vn, VectorRegister vm) {
        op.emit(this, vd, vn, vm);
    }

    /** {@code op vd.T, vn.T} (and the widening/narrowing rows; see {@link SimdTwoMiscOp}). */
    default void simd(SimdTwoMiscOp op, VectorRegister vd, VectorRegister vn) {
        op.emit(this, vd, vn);
    }

    /** {@code op vd.T, vn.T, #shift}. */
    default void simd(SimdShiftOp op, VectorRegister vd, VectorRegister vn, int shift) {
        op.emit(this, vd, vn, shift);
    }

    /** {@code zip1/zip2/uzp1/uzp2/trn1/trn2 vd.T, vn.T, vm.T}. */
    default void simd(SimdPermuteOp op, VectorRegister vd, VectorRegister vn, VectorRegister vm) {
        op.emit(this, vd, vn, vm);
    }

    /** {@code smull/umull/umlal[2] vd.T2, vn.T1, vm.T1}. */
    default void simd(SimdWideningOp op, VectorRegister vd, VectorRegister vn, VectorRegister vm) {
        op.emit(this, vd, vn, vm);
    }

    /** {@code addv/umaxv/uminv/smaxv/sminv vd, vn.T}. */
    default void simd(SimdAcrossOp op, VectorRegister vd, VectorRegister vn) {
        op.emit(this, vd, vn);
    }

    /** {@code dup vd.T, vn.Ts[i]}: one lane repeated. */
    default void dup(VectorRegister vd, VectorLane lane) {
        VectorShape t = vd.shape();
        if (t.isScalar() || t.elementBits != lane.element().elementBits || t.elementBits == 64 && !t.isFullWidth()) {
            throw new IllegalArgumentException("dup: " + vd + " does not take " + lane);
        }
        int word = 0x0E000400 | (t.isFullWidth() ? 1 << 30 : 0) | lane.imm5() << 16 | lane.register().number() << 5 | vd.number();
        emit(word, () -> insn("dup", vd, lane));
    }

    /** {@code dup vd.T, rn}: a general register repeated (X for 2D, W otherwise). */
    default void dup(VectorRegister vd, GeneralRegister rn) {
        VectorShape t = vd.shape();
        boolean d = t.elementBits == 64;
        if (t.isScalar() || rn.is64() != d || d && !t.isFullWidth()) {
            throw new IllegalArgumentException("dup: " + vd + " does not take " + rn);
        }
        int imm5 = 1 << t.sizeLog2();
        int word = 0x0E000C00 | (t.isFullWidth() ? 1 << 30 : 0) | imm5 << 16 | rn.encodeZrOperand("dup") << 5 | vd.number();
        emit(word, () -> insn("dup", vd, rn));
    }

    /** {@code mov vd.Ts[i], vn.Ts[j]} (INS, element): one lane from another register's lane, the others kept. */
    default void ins(VectorLane to, VectorLane from) {
        if (to.element() != from.element()) throw new IllegalArgumentException("ins: " + to + " and " + from + " differ in size");
        int size = to.element().sizeLog2();
        int imm4 = from.index() << size;
        int word = 0x6E000400 | to.imm5() << 16 | imm4 << 11 | from.register().number() << 5 | to.register().number();
        emit(word, () -> insn("mov", to, from));
    }

    /** {@code smov rd, vn.Ts[i]}: one lane sign-extended into W (B, H lanes) or X (B, H, S lanes). */
    default void smov(GeneralRegister rd, VectorLane lane) {
        VectorShape e = lane.element();
        if (e == VectorShape.D || e == VectorShape.S && !rd.is64()) {
            throw new IllegalArgumentException("smov: " + rd + " cannot take " + lane);
        }
        int word = 0x0E002C00 | (rd.is64() ? 1 << 30 : 0) | lane.imm5() << 16 | lane.register().number() << 5
                | rd.encodeZrOperand("smov");
        emit(word, () -> insn("smov", rd, lane));
    }

    /** {@code ext vd.16b, vn.16b, vm.16b, #index}: bytes index.. of vn:vm (8B arrangement: index below 8). */
    default void ext(VectorRegister vd, VectorRegister vn, VectorRegister vm, int index) {
        VectorShape t = vd.shape();
        if ((t != VectorShape.V16B && t != VectorShape.V8B) || vn.shape() != t || vm.shape() != t || index < 0 || index >= t.lanes) {
            throw new IllegalArgumentException("ext takes 8B/16B registers and a byte index, not " + vd + ", " + vn + ", " + vm + ", #" + index);
        }
        int word = 0x2E000000 | (t.isFullWidth() ? 1 << 30 : 0) | vm.number() << 16 | index << 11 | vn.number() << 5 | vd.number();
        emit(word, () -> insn("ext", vd, vn, vm, "#" + index));
    }

    /**
     * {@code tbl vd.16b, {vn.16b .. vn+count-1}, vm.16b}: byte lookup in a table of {@code count}
     * (1-4) consecutive registers (wrapping after V31); out-of-range indices give 0.
     */
    default void tbl(VectorRegister vd, VectorRegister vn, int count, VectorRegister vm) {
        VectorShape t = vd.shape();
        if ((t != VectorShape.V16B && t != VectorShape.V8B) || vm.shape() != t || vn.shape() != VectorShape.V16B || count < 1 || count > 4) {
            throw new IllegalArgumentException("tbl takes 8B/16B and a list of 1-4 16B registers, not " + vd + ", " + vn + ", " + vm);
        }
        int word = 0x0E000000 | (t.isFullWidth() ? 1 << 30 : 0) | vm.number() << 16 | (count - 1) << 13 | vn.number() << 5 | vd.number();
        StringBuilder list = new StringBuilder("{");
        for (int k = 0; k < count; k++) list.append(k > 0 ? ", " : "").append(VectorRegister.of((vn.number() + k) % 32, VectorShape.V16B));
        String table = list.append('}').toString();
        emit(word, () -> insn("tbl", vd, table, vm));
    }

    /**
     * {@code movi} (or {@code mvni}) of a vector immediate, when one encodes it: for 8B/16B any byte;
     * for 2D a 64-bit value whose bytes are each 0x00 or 0xFF; for 4S/2S a byte shifted by 0, 8, 16
     * or 24 (or its complement, as MVNI); for 8H/4H a byte shifted by 0 or 8 (or its complement).
     * Returns false (emitting nothing) when the lane value has no such form.
     */
    default boolean moviIfEncodable(VectorRegister vd, long lane) {
        int[] enc = ModifiedImmediate.encode(vd.shape(), lane);
        if (enc == null) return false;
        int op = enc[0], cmode = enc[1], imm8 = enc[2];
        int word = 0x0F000400 | (vd.shape().isFullWidth() ? 1 << 30 : 0) | op << 29 | (imm8 >> 5) << 16 | cmode << 12
                | (imm8 & 31) << 5 | vd.number();
        String text = ModifiedImmediate.syntax(vd, op, cmode, imm8);
        emit(word, () -> text);
        return true;
    }

    /** {@code ld1 {vt.T}[i], [xn]}: one lane from memory, the others kept. */
    default void ld1(VectorLane lane, GeneralRegister xn) {
        emit(singleStructure(0x0D400000, lane, xn), () -> insn("ld1", "{v" + lane.register().number() + "." + lane.element().suffix()
                + "}[" + lane.index() + "]", "[" + xn + "]"));
    }

    /** {@code st1 {vt.T}[i], [xn]}: one lane to memory. */
    default void st1(VectorLane lane, GeneralRegister xn) {
        emit(singleStructure(0x0D000000, lane, xn), () -> insn("st1", "{v" + lane.register().number() + "." + lane.element().suffix()
                + "}[" + lane.index() + "]", "[" + xn + "]"));
    }

    /** {@code ld1r {vt.T}, [xn]}: one element from memory repeated in every lane. */
    default void ld1r(VectorRegister vt, GeneralRegister xn) {
        VectorShape t = vt.shape();
        if (t.isScalar() || !xn.is64()) throw new IllegalArgumentException("ld1r takes an arrangement and an X base, not " + vt + ", " + xn);
        int word = 0x0D40C000 | (t.isFullWidth() ? 1 << 30 : 0) | t.sizeLog2() << 10 | xn.number() << 5 | vt.number();
        emit(word, () -> insn("ld1r", "{" + vt + "}", "[" + xn + "]"));
    }

    private static int singleStructure(int base, VectorLane lane, GeneralRegister xn) {
        if (!xn.is64()) throw new IllegalArgumentException("the base of a lane load or store is an X register (or sp), not " + xn);
        int i = lane.index();
        int q, s, size, opcode;
        switch (lane.element()) {
            case B -> {
                opcode = 0b000;
                q = i >> 3;
                s = i >> 2 & 1;
                size = i & 3;
            }
            case H -> {
                opcode = 0b010;
                q = i >> 2;
                s = i >> 1 & 1;
                size = (i & 1) << 1;
            }
            case S -> {
                opcode = 0b100;
                q = i >> 1;
                s = i & 1;
                size = 0;
            }
            default -> {
                opcode = 0b100;
                q = i;
                s = 0;
                size = 1;
            }
        }
        return base | q << 30 | opcode << 13 | s << 12 | size << 10 | xn.number() << 5 | lane.register().number();
    }
}
