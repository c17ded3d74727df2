package dev.kiln.backend.x64;

/**
 * An x86-64 register: a general-purpose register ({@link Gpr}) or an SSE register ({@link Xmm}).
 * {@link #encoding()} is the 4-bit number used in ModRM/SIB/opcode fields; bit 3 goes into a REX bit.
 */
public sealed interface X64Register permits Gpr, Xmm {
    /** The hardware register number, 0-15. */
    int encoding();

    /** True for R8-R15 and XMM8-XMM15, which need a REX prefix bit. */
    default boolean isExtended() {
        return encoding() >= 8;
    }
}
