package dev.kiln.backend.aarch64;

/**
 * The bitmask immediates of AND/ORR/EOR/ANDS (immediate): a 2-, 4-, 8-, 16-, 32- or 64-bit element
 * holding one rotated run of ones, replicated to the register width, encoded as {@code N:immr:imms}.
 * All-zeros and all-ones are not encodable.
 */
public final class LogicalImmediate {
    private LogicalImmediate() {
    }

    /** True when {@code value} (its low {@code width} bits, width 32 or 64) is a bitmask immediate. */
    public static boolean isLogicalImmediate(long value, int width) {
        return encode(value, width) >= 0;
    }

    /**
     * The 13-bit field {@code N:immr:imms} (N in bit 12, immr in bits 11-6, imms in bits 5-0) for
     * {@code value} in a {@code width}-bit operation, or -1 when it is not encodable. For width 32
     * only the low 32 bits of {@code value} count.
     */
    public static int encode(long value, int width) {
        checkWidth(width);
        if (width == 32) {
            value &= 0xFFFF_FFFFL;
            value |= value << 32;
        }
        if (value == 0 || value == -1) {
            return -1;
        }
        int size = 64;
        while (size > 2) {
            int half = size / 2;
            long mask = (1L << half) - 1;
            if ((value & mask) != ((value >>> half) & mask)) {
                break;
            }
            size = half;
        }
        long mask = size == 64 ? -1L : (1L << size) - 1;
        long element = value & mask;
        int ones = Long.bitCount(element);
        long run = ones == 64 ? -1L : (1L << ones) - 1;
        for (int rotation = 0; rotation < size; rotation++) {
            // element == ROR(run, rotation)  <=>  ROL(element, rotation) == run
            if (rotateLeft(element, rotation, size) == run) {
                int n = size == 64 ? 1 : 0;
                int imms = ((-size << 1) & 0x3F) | (ones - 1);
                return n << 12 | rotation << 6 | imms;
            }
        }
        return -1;
    }

    /**
     * The value a {@code N:immr:imms} field stands for in a {@code width}-bit operation (zero-extended
     * to a long for width 32). Throws {@link IllegalArgumentException} for reserved encodings.
     */
    public static long decode(int field, int width) {
        checkWidth(width);
        int n = (field >>> 12) & 1;
        int immr = (field >>> 6) & 0x3F;
        int imms = field & 0x3F;
        int combined = (n << 6) | (~imms & 0x3F);
        if (combined == 0 || (width == 32 && n == 1)) {
            throw new IllegalArgumentException("reserved logical immediate encoding 0x" + Integer.toHexString(field));
        }
        int len = 31 - Integer.numberOfLeadingZeros(combined);
        int size = 1 << len;
        int levels = size - 1;
        int s = imms & levels;
        int r = immr & levels;
        if (s == levels) {
            throw new IllegalArgumentException("reserved logical immediate encoding 0x" + Integer.toHexString(field));
        }
        long run = s + 1 == 64 ? -1L : (1L << (s + 1)) - 1;
        long element = rotateLeft(run, (size - r) % size, size);
        long value = element;
        for (int filled = size; filled < 64; filled *= 2) {
            value |= value << filled;
        }
        return width == 32 ? value & 0xFFFF_FFFFL : value;
    }

    private static long rotateLeft(long element, int by, int size) {
        if (size == 64) {
            return Long.rotateLeft(element, by);
        }
        long mask = (1L << size) - 1;
        by %= size;
        return by == 0 ? element : ((element << by) | (element >>> (size - by))) & mask;
    }

    private static void checkWidth(int width) {
        if (width != 32 && width != 64) {
            throw new IllegalArgumentException("width must be 32 or 64, not " + width);
        }
    }
}
