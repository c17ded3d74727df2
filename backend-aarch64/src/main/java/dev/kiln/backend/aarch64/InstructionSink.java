package dev.kiln.backend.aarch64;

import java.util.function.Supplier;

/**
 * Where instruction encoders put their output: one 32-bit instruction word at a time, with its
 * listing text. {@link A64Assembler} is the implementation; the instruction-family interfaces
 * ({@link ArithmeticInstructions}, {@link MemoryInstructions}, ...) are written against this.
 */
public interface InstructionSink {
    /**
     * Appends one instruction word. {@code listingText} gives the instruction in GNU objdump syntax;
     * it is only called in listing mode, so building the text costs nothing otherwise.
     */
    void emit(int word, Supplier<String> listingText);
}
