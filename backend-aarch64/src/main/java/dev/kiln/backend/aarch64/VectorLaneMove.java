package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Moves of one vector element to or from a general register: UMOV (element to W/X, zero-extended)
 * and INS (general register into an element). objdump prints both as {@code mov} except UMOV of a
 * byte or halfword.
 */
final class VectorLaneMove {
    private VectorLaneMove() {
    }

    /** {@code umov rd, vn.T[i]}: rd is X for a D element, W otherwise. */
    static void umov(InstructionSink out, GeneralRegister rd, VectorLane lane) {
        boolean d = lane.element() == VectorShape.D;
        if (rd.is64() != d) {
            throw new IllegalArgumentException("umov: " + rd + " must be " + (d ? "an X" : "a W")
                    + " register for " + lane);
        }
        int word = 0x0E003C00 | (d ? 1 << 30 : 0) | lane.imm5() << 16 | lane.register().number() << 5
                | rd.encodeZrOperand("umov");
        boolean alias = lane.element() == VectorShape.S || d;
        out.emit(word, () -> insn(alias ? "mov" : "umov", rd, lane));
    }

    /** {@code ins vd.T[i], rn}: rn is X for a D element, W otherwise. */
    static void ins(InstructionSink out, VectorLane lane, GeneralRegister rn) {
        boolean d = lane.element() == VectorShape.D;
        if (rn.is64() != d) {
            throw new IllegalArgumentException("ins: " + rn + " must be " + (d ? "an X" : "a W")
                    + " register for " + lane);
        }
        int word = 0x4E001C00 | lane.imm5() << 16 | rn.encodeZrOperand("ins") << 5 | lane.register().number();
        out.emit(word, () -> insn("mov", lane, rn));
    }
}
