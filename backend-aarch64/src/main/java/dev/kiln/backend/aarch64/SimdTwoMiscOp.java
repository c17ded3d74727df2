package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD "two-register miscellaneous" instructions, {@code op vd.T, vn.T}:
 * {@code 0 Q U 01110 size 10000 opcode 10 Rn Rd}. Besides the same-shape ones there are the
 * widening pairwise adds (SADDLP/UADDLP: vd has lanes twice as wide, half as many), the narrowing
 * ones (XTN, SQXTN, UQXTN, SQXTUN, FCVTN: vd's lanes half as wide, into the low half, or the high
 * half for the {@code 2} variants with a full-width vd) and FCVTL (the widening float conversion).
 */
public enum SimdTwoMiscOp {
    REV64(0, 0b00000, Kind.INTEGER, 0b0111),
    CNT(0, 0b00101, Kind.BYTES, 0b00),
    /** Bitwise not (printed {@code mvn}). */
    NOT(1, 0b00101, Kind.BYTES, 0b00),
    ABS(0, 0b01011, Kind.INTEGER, 0b1111),
    NEG(1, 0b01011, Kind.INTEGER, 0b1111),
    /** Compare with zero: vd = vn &gt; 0 (all ones) etc.; printed with a trailing {@code #0}. */
    CMGT_ZERO(0, 0b01000, Kind.INTEGER, 0b1111),
    CMGE_ZERO(1, 0b01000, Kind.INTEGER, 0b1111),
    CMEQ_ZERO(0, 0b01001, Kind.INTEGER, 0b1111),
    CMLE_ZERO(1, 0b01001, Kind.INTEGER, 0b1111),
    CMLT_ZERO(0, 0b01010, Kind.INTEGER, 0b1111),
    SADDLP(0, 0b00010, Kind.WIDEN_PAIRS, 0b0111),
    UADDLP(1, 0b00010, Kind.WIDEN_PAIRS, 0b0111),
    XTN(0, 0b10010, Kind.NARROW, 0b0111),
    SQXTUN(1, 0b10010, Kind.NARROW, 0b0111),
    SQXTN(0, 0b10100, Kind.NARROW, 0b0111),
    UQXTN(1, 0b10100, Kind.NARROW, 0b0111),
    FABS(0, 0b01111, Kind.FLOAT, 1),
    FNEG(1, 0b01111, Kind.FLOAT, 1),
    FSQRT(1, 0b11111, Kind.FLOAT, 1),
    FRINTN(0, 0b11000, Kind.FLOAT, 0),
    FRINTM(0, 0b11001, Kind.FLOAT, 0),
    FRINTP(0, 0b11000, Kind.FLOAT, 1),
    FRINTZ(0, 0b11001, Kind.FLOAT, 1),
    /** Float to signed integer, rounding toward zero, saturating (NaN gives 0). */
    FCVTZS(0, 0b11011, Kind.FLOAT, 1),
    FCVTZU(1, 0b11011, Kind.FLOAT, 1),
    SCVTF(0, 0b11101, Kind.FLOAT, 0),
    UCVTF(1, 0b11101, Kind.FLOAT, 0),
    /** Double to single: vd.2S (or the high half, 4S, for fcvtn2) from vn.2D. */
    FCVTN(0, 0b10110, Kind.FLOAT_NARROW, 0),
    /** Single to double: vd.2D from vn.2S (or the high half of vn.4S for fcvtl2). */
    FCVTL(0, 0b10111, Kind.FLOAT_WIDEN, 0);

    enum Kind { INTEGER, BYTES, WIDEN_PAIRS, NARROW, FLOAT, FLOAT_NARROW, FLOAT_WIDEN }

    private final int u;
    private final int opcode;
    private final Kind kind;
    /** INTEGER/WIDEN_PAIRS/NARROW: bit i set when (source) element size 8<<i is allowed; FLOAT: the a bit; BYTES: size. */
    private final int extra;

    SimdTwoMiscOp(int u, int opcode, Kind kind, int extra) {
        this.u = u;
        this.opcode = opcode;
        this.kind = kind;
        this.extra = extra;
    }

    public String mnemonic() {
        String n = name().toLowerCase();
        return n.endsWith("_zero") ? n.substring(0, n.length() - 5) : n.equals("not") ? "mvn" : n;
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn) {
        VectorShape d = rd.shape(), n = rn.shape();
        if (d.isScalar() || n.isScalar()) throw new IllegalArgumentException(mnemonic() + " takes arrangements, not " + rd + ", " + rn);
        boolean q;
        int size;
        String name = mnemonic();
        switch (kind) {
            case INTEGER, BYTES -> {
                require(d == n, rd, rn);
                if (kind == Kind.BYTES) require(n.elementBits == 8, rd, rn);
                else require((extra >> n.sizeLog2() & 1) != 0 && !(n.elementBits == 64 && !n.isFullWidth()), rd, rn);
                q = n.isFullWidth();
                size = kind == Kind.BYTES ? extra : n.sizeLog2();
            }
            case WIDEN_PAIRS -> {
                require(d.elementBits == 2 * n.elementBits && d.isFullWidth() == n.isFullWidth()
                        && (extra >> n.sizeLog2() & 1) != 0, rd, rn);
                q = n.isFullWidth();
                size = n.sizeLog2();
            }
            case NARROW -> { // vd: half-width lanes; vd full width (the 2 variant) writes the upper half
                require(n.isFullWidth() && 2 * d.elementBits == n.elementBits && (extra >> d.sizeLog2() & 1) != 0, rd, rn);
                q = d.isFullWidth();
                size = d.sizeLog2();
                if (q) name += "2";
            }
            case FLOAT -> {
                require(d == n && (n == VectorShape.V2S || n == VectorShape.V4S || n == VectorShape.V2D), rd, rn);
                q = n.isFullWidth();
                size = extra << 1 | (n.elementBits == 64 ? 1 : 0);
            }
            case FLOAT_NARROW -> {
                require(n == VectorShape.V2D && (d == VectorShape.V2S || d == VectorShape.V4S), rd, rn);
                q = d.isFullWidth();
                size = 1;
                if (q) name += "2";
            }
            default -> { // FLOAT_WIDEN
                require(d == VectorShape.V2D && (n == VectorShape.V2S || n == VectorShape.V4S), rd, rn);
                q = n.isFullWidth();
                size = 1;
                if (q) name += "2";
            }
        }
        int word = 0x0E200800 | (q ? 1 << 30 : 0) | u << 29 | size << 22 | opcode << 12 | rn.number() << 5 | rd.number();
        String mnemonic = name;
        if (name().endsWith("_ZERO")) out.emit(word, () -> insn(mnemonic, rd, rn, "#0"));
        else out.emit(word, () -> insn(mnemonic, rd, rn));
    }

    private void require(boolean ok, VectorRegister rd, VectorRegister rn) {
        if (!ok) throw new IllegalArgumentException(mnemonic() + " has no form " + rd + ", " + rn);
    }
}
