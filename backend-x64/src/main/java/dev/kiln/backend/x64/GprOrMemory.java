package dev.kiln.backend.x64;

/** The r/m operand of an integer instruction: a {@link Gpr} or a {@link MemoryOperand}. */
public sealed interface GprOrMemory permits Gpr, MemoryOperand {
}
