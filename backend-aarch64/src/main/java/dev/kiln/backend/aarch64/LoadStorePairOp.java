package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Loads and stores of register pairs (LDP, STP, LDPSW) with a signed 7-bit offset scaled by the
 * register size, in the plain offset, pre-index and post-index modes: the prologue and epilogue
 * instructions ({@code stp x29, x30, [sp, #-16]!}).
 */
public enum LoadStorePairOp {
    STP_W(0, false, false, 32, 2, "stp"), LDP_W(0, false, true, 32, 2, "ldp"),
    LDPSW(1, false, true, 64, 2, "ldpsw"),
    STP_X(2, false, false, 64, 3, "stp"), LDP_X(2, false, true, 64, 3, "ldp"),
    STP_S(0, true, false, 32, 2, "stp"), LDP_S(0, true, true, 32, 2, "ldp"),
    STP_D(1, true, false, 64, 3, "stp"), LDP_D(1, true, true, 64, 3, "ldp"),
    STP_Q(2, true, false, 128, 4, "stp"), LDP_Q(2, true, true, 128, 4, "ldp");

    private final int opc;
    private final boolean vector;
    private final boolean load;
    private final int registerBits;
    private final int scaleLog2;
    private final String mnemonic;

    LoadStorePairOp(int opc, boolean vector, boolean load, int registerBits, int scaleLog2, String mnemonic) {
        this.opc = opc;
        this.vector = vector;
        this.load = load;
        this.registerBits = registerBits;
        this.scaleLog2 = scaleLog2;
        this.mnemonic = mnemonic;
    }

    /** The LDP (load) or STP (store) for a pair of W, X, S, D or Q registers. */
    public static LoadStorePairOp of(A64Register rt, boolean load) {
        return switch (rt) {
            case GeneralRegister g -> g.is64() ? (load ? LDP_X : STP_X) : (load ? LDP_W : STP_W);
            case VectorRegister v -> switch (v.shape()) {
                case S -> load ? LDP_S : STP_S;
                case D -> load ? LDP_D : STP_D;
                case Q -> load ? LDP_Q : STP_Q;
                default -> throw new IllegalArgumentException("no pair load/store for " + v);
            };
        };
    }

    /** The offset step: the size of one register in bytes. Offsets must be multiples of it in -64..63 steps. */
    public int offsetScale() {
        return 1 << scaleLog2;
    }

    private int register(A64Register r) {
        if (vector) {
            if (!(r instanceof VectorRegister v) || !v.shape().isScalar() || v.shape().elementBits != registerBits) {
                throw new IllegalArgumentException(mnemonic + ": " + r + " must be a " + registerBits
                        + "-bit scalar view of a vector register");
            }
            return v.number();
        }
        if (!(r instanceof GeneralRegister g) || g.width() != registerBits) {
            throw new IllegalArgumentException(mnemonic + ": " + r + " must be a "
                    + (registerBits == 64 ? "X" : "W") + " register");
        }
        return g.encodeZrOperand(mnemonic);
    }

    void emit(InstructionSink out, A64Register rt1, A64Register rt2, Address a) {
        int t1 = register(rt1);
        int t2 = register(rt2);
        int n = a.baseRegister().number();
        int mode = switch (a.mode()) {
            case POST_INDEX -> 0b001;
            case OFFSET -> 0b010;
            case PRE_INDEX -> 0b011;
            default -> throw new IllegalArgumentException(mnemonic + ": only offset, pre-index and post-index "
                    + "addresses are allowed, not " + a);
        };
        long offset = a.offset();
        if (offset % offsetScale() != 0) {
            throw new IllegalArgumentException(mnemonic + ": offset " + offset + " is not a multiple of " + offsetScale());
        }
        int imm7 = Immediates.signed(mnemonic + " offset/" + offsetScale(), offset / offsetScale(), 7);
        if (load && t1 == t2) {
            throw new IllegalArgumentException(mnemonic + ": loading both halves into " + rt1 + " is unpredictable");
        }
        if (!vector && a.writesBack() && ((t1 == n && t1 != 31) || (t2 == n && t2 != 31))) {
            throw new IllegalArgumentException(mnemonic + ": writeback to base " + a.baseRegister()
                    + " that is also a transfer register is unpredictable");
        }
        int word = opc << 30 | 0b101 << 27 | (vector ? 1 << 26 : 0) | mode << 23 | (load ? 1 << 22 : 0)
                | imm7 << 15 | t2 << 10 | n << 5 | t1;
        out.emit(word, () -> insn(mnemonic, rt1, rt2, a.syntax()));
    }
}
