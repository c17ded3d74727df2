package dev.kiln.backend.x64;

/** The r/m operand of an SSE instruction: an {@link Xmm} register or a {@link MemoryOperand}. */
public sealed interface XmmOrMemory permits Xmm, MemoryOperand {
}
