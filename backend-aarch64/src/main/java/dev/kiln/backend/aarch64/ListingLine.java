package dev.kiln.backend.aarch64;

import java.util.Locale;

/**
 * One line of an assembler listing: an instruction word (or a literal-pool data item) at a code
 * offset, with its text in GNU objdump syntax. Data lines ({@code .word}, {@code .xword}) belong
 * to literal pools and padding.
 *
 * @param size  4 for an instruction or 32-bit datum, 8 for a 64-bit datum
 * @param value the instruction word or datum
 */
public record ListingLine(int offset, int size, long value, String text, boolean isData) {
    /** {@code "  1c:\td2800020 \tmov\tx0, #0x1"}, close to objdump's own layout. */
    @Override
    public String toString() {
        String hex = size == 8 ? String.format(Locale.ROOT, "%016x", value)
                : String.format(Locale.ROOT, "%08x", value & 0xFFFF_FFFFL);
        return String.format(Locale.ROOT, "%6x:\t%s \t%s", offset, hex, text);
    }
}
