package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * The "modified immediate" forms of MOVI/MVNI: which (op, cmode, imm8) encodes a lane value for an
 * arrangement, and how objdump prints it.
 */
final class ModifiedImmediate {
    private ModifiedImmediate() {
    }

    /** {op, cmode, imm8} for {@code lane} repeated in every lane of {@code t}, or null. */
    static int[] encode(VectorShape t, long lane) {
        switch (t.elementBits) {
            case 8 -> {
                return t.isScalar() ? null : new int[] {0, 0b1110, (int) (lane & 0xFF)};
            }
            case 16 -> {
                int v = (int) (lane & 0xFFFF);
                for (int shift = 0; shift <= 8; shift += 8) {
                    if ((v & ~(0xFF << shift)) == 0) return new int[] {0, 0b1000 | shift / 4, v >>> shift};
                    int n = ~v & 0xFFFF;
                    if ((n & ~(0xFF << shift)) == 0) return new int[] {1, 0b1000 | shift / 4, n >>> shift};
                }
                return null;
            }
            case 32 -> {
                long v = lane & 0xFFFF_FFFFL;
                for (int shift = 0; shift <= 24; shift += 8) {
                    if ((v & ~(0xFFL << shift)) == 0) return new int[] {0, shift / 4, (int) (v >>> shift)};
                    long n = ~v & 0xFFFF_FFFFL;
                    if ((n & ~(0xFFL << shift)) == 0) return new int[] {1, shift / 4, (int) (n >>> shift)};
                }
                return null;
            }
            default -> {
                if (!t.isFullWidth() || t.isScalar()) return null;
                int imm8 = 0;
                for (int b = 0; b < 8; b++) {
                    int by = (int) (lane >>> (8 * b)) & 0xFF;
                    if (by == 0xFF) imm8 |= 1 << b;
                    else if (by != 0) return null;
                }
                return new int[] {1, 0b1110, imm8};
            }
        }
    }

    /** objdump's text: {@code movi v0.4s, #0x12, lsl #8}, {@code mvni ...}, {@code movi v0.2d, #0xff00...}. */
    static String syntax(VectorRegister vd, int op, int cmode, int imm8) {
        if (cmode == 0b1110) {
            if (op == 0) return insn("movi", vd, "#0x" + Integer.toHexString(imm8));
            long mask = 0;
            for (int b = 0; b < 8; b++) if ((imm8 >> b & 1) != 0) mask |= 0xFFL << (8 * b);
            return insn("movi", vd, "#0x" + Long.toHexString(mask));
        }
        int shift = (cmode & 0b1000) != 0 ? (cmode >> 1 & 1) * 8 : (cmode >> 1 & 3) * 8;
        String mnemonic = op == 0 ? "movi" : "mvni";
        String imm = "#0x" + Integer.toHexString(imm8);
        return shift == 0 ? insn(mnemonic, vd, imm) : insn(mnemonic, vd, imm, "lsl #" + shift);
    }
}
