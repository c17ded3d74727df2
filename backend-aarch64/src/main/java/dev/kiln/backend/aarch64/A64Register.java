package dev.kiln.backend.aarch64;

/**
 * An AArch64 register operand: a {@link GeneralRegister} (X/W views, SP, XZR) or a
 * {@link VectorRegister} (B/H/S/D/Q scalar views and vector arrangements of V0-V31).
 */
public sealed interface A64Register permits GeneralRegister, VectorRegister {
    /** The 5-bit register number as encoded in an instruction field (0-31). */
    int number();

    /** The name in GNU assembler syntax, e.g. {@code x0}, {@code wsp}, {@code xzr}, {@code d17}, {@code v3.8b}. */
    String name();
}
