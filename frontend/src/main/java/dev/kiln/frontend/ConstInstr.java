package dev.kiln.frontend;

/**
 * One instruction of a constant expression, decoded. {@code imm} is the constant's bits, the
 * global or function index, or the reference type code; {@code imm2} holds the high half of a
 * v128 constant. Any other instruction may appear here syntactically (the validator rejects it).
 */
public record ConstInstr(Opcode op, long imm, long imm2, int offset) {
}
