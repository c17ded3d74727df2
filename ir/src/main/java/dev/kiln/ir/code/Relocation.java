package dev.kiln.ir.code;

/**
 * A place in a function's code that must be patched when the code is placed: at {@code offset},
 * relocation {@code type} (an ELF relocation type number of the target, e.g. R_X86_64_PLT32 or
 * R_AARCH64_CALL26) against {@code symbol} with {@code addend}. The meaning of each type number
 * belongs to the target's backend ({@link RelocationModel}); this record only carries it.
 */
public record Relocation(int offset, int type, String symbol, long addend) {
}
