package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Advanced SIMD "three same" instructions, {@code op vd.T, vn.T, vm.T}:
 * {@code 0 Q U 01110 size 1 Rm opcode 1 Rn Rd}. Integer rows allow the arrangements their
 * element sizes permit; float rows take 4S or 2D (their size field is the row's {@code a} bit and
 * the element size); bitwise rows take 8B or 16B (their size field is fixed).
 */
public enum SimdThreeSameOp {
    ADD(0, 0b10000, Kind.INTEGER, 0b1111),
    SUB(1, 0b10000, Kind.INTEGER, 0b1111),
    MUL(0, 0b10011, Kind.INTEGER, 0b0111),
    SQADD(0, 0b00001, Kind.INTEGER, 0b1111),
    UQADD(1, 0b00001, Kind.INTEGER, 0b1111),
    SQSUB(0, 0b00101, Kind.INTEGER, 0b1111),
    UQSUB(1, 0b00101, Kind.INTEGER, 0b1111),
    SMAX(0, 0b01100, Kind.INTEGER, 0b0111),
    UMAX(1, 0b01100, Kind.INTEGER, 0b0111),
    SMIN(0, 0b01101, Kind.INTEGER, 0b0111),
    UMIN(1, 0b01101, Kind.INTEGER, 0b0111),
    URHADD(1, 0b00010, Kind.INTEGER, 0b0111),
    CMGT(0, 0b00110, Kind.INTEGER, 0b1111),
    CMHI(1, 0b00110, Kind.INTEGER, 0b1111),
    CMGE(0, 0b00111, Kind.INTEGER, 0b1111),
    CMHS(1, 0b00111, Kind.INTEGER, 0b1111),
    CMEQ(1, 0b10001, Kind.INTEGER, 0b1111),
    CMTST(0, 0b10001, Kind.INTEGER, 0b1111),
    /** Shift each lane left by the signed low byte of the other operand's lane (right when negative). */
    SSHL(0, 0b01000, Kind.INTEGER, 0b1111),
    USHL(1, 0b01000, Kind.INTEGER, 0b1111),
    SQRDMULH(1, 0b10110, Kind.INTEGER, 0b0110),
    ADDP(0, 0b10111, Kind.INTEGER, 0b1111),
    UMAXP(1, 0b10100, Kind.INTEGER, 0b0111),
    UMINP(1, 0b10101, Kind.INTEGER, 0b0111),
    AND(0, 0b00011, Kind.BITWISE, 0b00),
    BIC(0, 0b00011, Kind.BITWISE, 0b01),
    ORR(0, 0b00011, Kind.BITWISE, 0b10),
    ORN(0, 0b00011, Kind.BITWISE, 0b11),
    EOR(1, 0b00011, Kind.BITWISE, 0b00),
    /** {@code vd = (vd & vn) | (~vd & vm)}: vd is the selector. */
    BSL(1, 0b00011, Kind.BITWISE, 0b01),
    /** {@code vd = (vn & vm) | (vd & ~vm)}: vm is the selector. */
    BIT(1, 0b00011, Kind.BITWISE, 0b10),
    /** {@code vd = (vd & vm) | (vn & ~vm)}. */
    BIF(1, 0b00011, Kind.BITWISE, 0b11),
    FADD(0, 0b11010, Kind.FLOAT, 0),
    FSUB(0, 0b11010, Kind.FLOAT, 1),
    FMUL(1, 0b11011, Kind.FLOAT, 0),
    FDIV(1, 0b11111, Kind.FLOAT, 0),
    FMAX(0, 0b11110, Kind.FLOAT, 0),
    FMIN(0, 0b11110, Kind.FLOAT, 1),
    FCMEQ(0, 0b11100, Kind.FLOAT, 0),
    FCMGE(1, 0b11100, Kind.FLOAT, 0),
    FCMGT(1, 0b11100, Kind.FLOAT, 1);

    enum Kind { INTEGER, FLOAT, BITWISE }

    private final int u;
    private final int opcode;
    private final Kind kind;
    /** INTEGER: bit i set when element size 8<<i is allowed; FLOAT: the a bit; BITWISE: the size field. */
    private final int extra;

    SimdThreeSameOp(int u, int opcode, Kind kind, int extra) {
        this.u = u;
        this.opcode = opcode;
        this.kind = kind;
        this.extra = extra;
    }

    public String mnemonic() {
        return name().toLowerCase();
    }

    void emit(InstructionSink out, VectorRegister rd, VectorRegister rn, VectorRegister rm) {
        VectorShape t = rd.shape();
        if (rn.shape() != t || rm.shape() != t || t.isScalar()) {
            throw new IllegalArgumentException(mnemonic() + " takes three registers of one arrangement, not " + rd + ", " + rn + ", " + rm);
        }
        int size = switch (kind) {
            case INTEGER -> {
                if ((extra >> t.sizeLog2() & 1) == 0) {
                    throw new IllegalArgumentException(mnemonic() + " has no " + t.suffix() + " form");
                }
                if (t.elementBits == 64 && !t.isFullWidth()) throw new IllegalArgumentException(mnemonic() + " has no 1D form");
                yield t.sizeLog2();
            }
            case FLOAT -> {
                if (t != VectorShape.V4S && t != VectorShape.V2S && t != VectorShape.V2D) {
                    throw new IllegalArgumentException(mnemonic() + " takes 2S, 4S or 2D, not " + t.suffix());
                }
                yield extra << 1 | (t.elementBits == 64 ? 1 : 0);
            }
            case BITWISE -> {
                if (t != VectorShape.V8B && t != VectorShape.V16B) {
                    throw new IllegalArgumentException(mnemonic() + " takes 8B or 16B, not " + t.suffix());
                }
                yield extra;
            }
        };
        int word = 0x0E200400 | (t.isFullWidth() ? 1 << 30 : 0) | u << 29 | size << 22 | rm.number() << 16 | opcode << 11
                | rn.number() << 5 | rd.number();
        if (this == ORR && rn == rm) {
            out.emit(word, () -> insn("mov", rd, rn));
        } else {
            out.emit(word, () -> insn(mnemonic(), rd, rn, rm));
        }
    }
}
