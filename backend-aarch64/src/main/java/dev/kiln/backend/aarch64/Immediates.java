package dev.kiln.backend.aarch64;

/** Range checks for immediate operands, with messages naming the instruction. */
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
}
