package dev.kiln.backend.aarch64;

import java.util.Locale;

/**
 * Spells instructions and operands the way GNU {@code aarch64-linux-gnu-objdump} prints them, so
 * listings can be compared with its disassembly: hexadecimal for most immediates, decimal for shift
 * amounts, bit positions and memory offsets, absolute hex addresses for PC-relative targets.
 */
final class AsmSyntax {
    private AsmSyntax() {
    }

    /** {@code mnemonic\toperand, operand, ...}. */
    static String insn(String mnemonic, Object... operands) {
        StringBuilder sb = new StringBuilder(mnemonic);
        for (int i = 0; i < operands.length; i++) {
            sb.append(i == 0 ? "\t" : ", ").append(operands[i]);
        }
        return sb.toString();
    }

    /** {@code #0x1f}; negative values are printed as their two's complement in {@code bits} bits. */
    static String hex(long value, int bits) {
        long masked = bits == 64 ? value : value & ((1L << bits) - 1);
        return "#0x" + Long.toHexString(masked);
    }

    /** {@code #0x1f} for a non-negative value. */
    static String hex(long value) {
        return "#0x" + Long.toHexString(value);
    }

    /** {@code #-16}: a signed decimal immediate. */
    static String dec(long value) {
        return "#" + value;
    }

    /** An absolute code address as objdump prints branch and literal targets: {@code 0x1c}. */
    static String address(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** {@code , lsl #3} after a register, or nothing for LSL #0. */
    static String shiftSuffix(Shift shift, int amount) {
        return shift == Shift.LSL && amount == 0 ? "" : ", " + shift.syntax() + " #" + amount;
    }

    /** A floating-point immediate as objdump prints it: {@code #1.000000000000000000e+00}. */
    static String floatImmediate(double value) {
        return "#" + String.format(Locale.ROOT, "%.18e", value);
    }
}
