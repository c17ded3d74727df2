package dev.kiln.backend.aarch64;

/** Range checks for immediate operands and register widths, with messages naming the instruction. */
final class Immediates {
    private Immediates() {
    }

    /** {@code value} as a {@code bits}-bit unsigned field; throws when it does not fit. */
    static int unsigned(String what, long value, int bits) {
        if (value < 0 || value >= (1L << bits)) {
            throw new IllegalArgumentException(what + ": immediate " + value + " is not in 0.." + ((1L << bits) - 1));
        }
        return (int) value;
    }

    /** {@code value} in {@code min..max}; throws otherwise. */
    static int inRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " is not in " + min + ".." + max);
        }
        return (int) value;
    }

    /** {@code value} as a {@code bits}-bit two's-complement field; throws when it does not fit. */
    static int signed(String what, long value, int bits) {
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + ": immediate " + value + " is not in " + min + ".." + max);
        }
        return (int) (value & ((1L << bits) - 1));
    }

    /** Throws unless all registers have the width of the first. */
    static void sameWidth(String what, GeneralRegister... registers) {
        for (GeneralRegister r : registers) {
            if (r.is64() != registers[0].is64()) {
                throw new IllegalArgumentException(what + ": registers mix 32- and 64-bit views: "
                        + java.util.Arrays.toString(registers));
            }
        }
    }

    /** Throws unless the register is a 64-bit view. */
    static void require64(String what, GeneralRegister r) {
        if (!r.is64()) {
            throw new IllegalArgumentException(what + ": " + r + " must be a 64-bit (X) register");
        }
    }

    /** Throws unless the register is a 32-bit view. */
    static void require32(String what, GeneralRegister r) {
        if (r.is64()) {
            throw new IllegalArgumentException(what + ": " + r + " must be a 32-bit (W) register");
        }
    }

    /** The sf bit (bit 31) of a data-processing instruction of this width. */
    static int sf(GeneralRegister r) {
        return r.is64() ? 1 << 31 : 0;
    }
}
