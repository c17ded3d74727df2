package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/** FCSEL: {@code fcsel rd, rn, rm, cond} gives rn when cond holds, else rm (S or D registers). */
final class FloatConditionalSelect {
    private FloatConditionalSelect() {
    }

    static void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, VectorRegister rm, Condition cond) {
        int type = FloatType.same("fcsel", rd, rn, rm);
        int word = 0b00011110 << 24 | type << 22 | 1 << 21 | rm.number() << 16 | cond.code() << 12 | 0b11 << 10
                | rn.number() << 5 | rd.number();
        out.emit(word, () -> insn("fcsel", rd, rn, rm, cond.syntax()));
    }
}
