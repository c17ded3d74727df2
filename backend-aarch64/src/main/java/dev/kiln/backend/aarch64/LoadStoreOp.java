package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Single-register loads and stores, one entry per (size, V, opc) of the Arm ARM's load/store
 * register classes. Each entry encodes every {@link Address} mode (scaled unsigned offset,
 * unscaled LDUR/STUR, pre/post-index, register offset). The PC-relative literal forms of the
 * W, X, LDRSW, S, D and Q loads are in {@link PcRelativeOp}.
 */
public enum LoadStoreOp {
    STRB(0, false, 0, 32, "strb", "sturb"),
    LDRB(0, false, 1, 32, "ldrb", "ldurb"),
    LDRSB_X(0, false, 2, 64, "ldrsb", "ldursb"),
    LDRSB_W(0, false, 3, 32, "ldrsb", "ldursb"),
    STRH(1, false, 0, 32, "strh", "sturh"),
    LDRH(1, false, 1, 32, "ldrh", "ldurh"),
    LDRSH_X(1, false, 2, 64, "ldrsh", "ldursh"),
    LDRSH_W(1, false, 3, 32, "ldrsh", "ldursh"),
    STR_W(2, false, 0, 32, "str", "stur"),
    LDR_W(2, false, 1, 32, "ldr", "ldur"),
    LDRSW(2, false, 2, 64, "ldrsw", "ldursw"),
    STR_X(3, false, 0, 64, "str", "stur"),
    LDR_X(3, false, 1, 64, "ldr", "ldur"),
    STR_B(0, true, 0, 8, "str", "stur"),
    LDR_B(0, true, 1, 8, "ldr", "ldur"),
    STR_H(1, true, 0, 16, "str", "stur"),
    LDR_H(1, true, 1, 16, "ldr", "ldur"),
    STR_S(2, true, 0, 32, "str", "stur"),
    LDR_S(2, true, 1, 32, "ldr", "ldur"),
    STR_D(3, true, 0, 64, "str", "stur"),
    LDR_D(3, true, 1, 64, "ldr", "ldur"),
    STR_Q(0, true, 2, 128, "str", "stur"),
    LDR_Q(0, true, 3, 128, "ldr", "ldur");

    private final int size;
    private final boolean vector;
    private final int opc;
    private final int registerBits;
    private final String mnemonic;
    private final String unscaledMnemonic;

    LoadStoreOp(int size, boolean vector, int opc, int registerBits, String mnemonic, String unscaledMnemonic) {
        this.size = size;
        this.vector = vector;
        this.opc = opc;
        this.registerBits = registerBits;
        this.mnemonic = mnemonic;
        this.unscaledMnemonic = unscaledMnemonic;
    }

    /** The plain LDR for a register: W, X, B, H, S, D or Q. */
    public static LoadStoreOp load(A64Register rt) {
        return pick(rt, true);
    }

    /** The plain STR for a register: W, X, B, H, S, D or Q. */
    public static LoadStoreOp store(A64Register rt) {
        return pick(rt, false);
    }

    private static LoadStoreOp pick(A64Register rt, boolean load) {
        return switch (rt) {
            case GeneralRegister g -> g.is64() ? (load ? LDR_X : STR_X) : (load ? LDR_W : STR_W);
            case VectorRegister v -> switch (v.shape()) {
                case B -> load ? LDR_B : STR_B;
                case H -> load ? LDR_H : STR_H;
                case S -> load ? LDR_S : STR_S;
                case D -> load ? LDR_D : STR_D;
                case Q -> load ? LDR_Q : STR_Q;
                default -> throw new IllegalArgumentException("cannot load or store the arrangement " + v
                        + "; use a scalar view (b, h, s, d, q)");
            };
        };
    }

    public String mnemonic() {
        return mnemonic;
    }

    /** The number of bytes accessed: 1, 2, 4, 8 or 16. */
    public int accessBytes() {
        return 1 << scaleLog2();
    }

    private int scaleLog2() {
        return vector && opc >= 2 ? 4 : size;
    }

    /** True for loads. */
    public boolean isLoad() {
        return opc != 0 && !(vector && opc == 2);
    }

    /** Checks that {@code rt} is the register class this op transfers, and returns its number. */
    int checkRegister(A64Register rt) {
        String what = mnemonic;
        if (vector) {
            if (!(rt instanceof VectorRegister v) || v.shape().elementBits != registerBits || !v.shape().isScalar()) {
                throw new IllegalArgumentException(what + ": transfer register " + rt + " must be a "
                        + registerBits + "-bit scalar view of a vector register");
            }
            return v.number();
        }
        if (!(rt instanceof GeneralRegister g) || g.width() != registerBits) {
            throw new IllegalArgumentException(what + ": transfer register " + rt + " must be a "
                    + (registerBits == 64 ? "X" : "W") + " register");
        }
        return g.encodeZrOperand(what);
    }

    void emit(InstructionSink out, A64Register rt, Address a) {
        int t = checkRegister(rt);
        int n = a.baseRegister().number();
        int scale = scaleLog2();
        int fixed = size << 30 | 0b111 << 27 | (vector ? 1 << 26 : 0) | opc << 22 | n << 5 | t;
        long offset = a.offset();
        switch (a.mode()) {
            case OFFSET, UNSCALED -> {
                if (a.mode() == Address.Mode.OFFSET && Address.fitsScaled(offset, accessBytes())) {
                    int word = fixed | 1 << 24 | (int) (offset >> scale) << 10;
                    out.emit(word, () -> insn(mnemonic, rt, a.syntax()));
                } else if (Address.fitsUnscaled(offset)) {
                    int word = fixed | (int) (offset & 0x1FF) << 12;
                    out.emit(word, () -> insn(unscaledMnemonic, rt, a.syntax()));
                } else {
                    throw new IllegalArgumentException(mnemonic + ": offset " + offset + " does not fit "
                            + (a.mode() == Address.Mode.OFFSET
                            ? "a scaled unsigned 12-bit or an unscaled signed 9-bit offset for a "
                            + accessBytes() + "-byte access"
                            : "an unscaled signed 9-bit offset (-256..255)"));
                }
            }
            case PRE_INDEX, POST_INDEX -> {
                int imm9 = Immediates.signed(mnemonic + " writeback offset", offset, 9);
                if (rt instanceof GeneralRegister g && !g.isZero() && g.number() == n) {
                    throw new IllegalArgumentException(mnemonic + ": writeback to base " + a.baseRegister()
                            + " that is also the transfer register is unpredictable");
                }
                int word = fixed | imm9 << 12 | (a.mode() == Address.Mode.PRE_INDEX ? 0b11 : 0b01) << 10;
                out.emit(word, () -> insn(mnemonic, rt, a.syntax()));
            }
            case REGISTER -> {
                if (a.shift() != 0 && a.shift() != scale) {
                    throw new IllegalArgumentException(mnemonic + ": index shift must be "
                            + (scale == 0 ? "0" : "0 or " + scale) + " for a " + accessBytes() + "-byte access, not "
                            + a.shift());
                }
                int word = fixed | 1 << 21 | a.indexRegister().number() << 16 | a.extend().code() << 13
                        | (a.shift() != 0 ? 1 << 12 : 0) | 0b10 << 10;
                out.emit(word, () -> insn(mnemonic, rt, a.syntax()));
            }
        }
    }
}
