package dev.kiln.backend.aarch64;

import static dev.kiln.backend.aarch64.AsmSyntax.insn;

/**
 * Conversions between floating-point (S/D) and general (W/X) registers. The FCVT*S/FCVT*U ops
 * convert to a signed/unsigned integer, saturating, rounding N to nearest even, P toward +inf, M
 * toward -inf, Z toward zero, A to nearest away; SCVTF/UCVTF convert from a signed/unsigned
 * integer; FMOV_TO_GENERAL and FMOV_FROM_GENERAL copy the bits (W with S, X with D).
 */
public enum FloatIntegerConversionOp {
    FCVTNS(0, 0, true, "fcvtns"), FCVTNU(0, 1, true, "fcvtnu"),
    SCVTF(0, 2, false, "scvtf"), UCVTF(0, 3, false, "ucvtf"),
    FCVTAS(0, 4, true, "fcvtas"), FCVTAU(0, 5, true, "fcvtau"),
    FMOV_TO_GENERAL(0, 6, true, "fmov"), FMOV_FROM_GENERAL(0, 7, false, "fmov"),
    FCVTPS(1, 0, true, "fcvtps"), FCVTPU(1, 1, true, "fcvtpu"),
    FCVTMS(2, 0, true, "fcvtms"), FCVTMU(2, 1, true, "fcvtmu"),
    FCVTZS(3, 0, true, "fcvtzs"), FCVTZU(3, 1, true, "fcvtzu");

    private final int rmode;
    private final int opcode;
    /** True when the result goes to a general register (rd general, rn floating point). */
    public final boolean toGeneral;
    private final String mnemonic;

    FloatIntegerConversionOp(int rmode, int opcode, boolean toGeneral, String mnemonic) {
        this.rmode = rmode;
        this.opcode = opcode;
        this.toGeneral = toGeneral;
        this.mnemonic = mnemonic;
    }

    public String mnemonic() {
        return mnemonic;
    }

    /** A conversion to a general register: {@code op rd, rn} with rd W/X and rn S/D. */
    void toGeneral(InstructionSink out, GeneralRegister rd, VectorRegister rn) {
        if (!toGeneral) {
            throw new IllegalArgumentException(name() + " writes a floating-point register");
        }
        emit(out, rd, rn, rd.encodeZrOperand(mnemonic), rn.number(), rd.is64(), FloatType.of(mnemonic, rn));
    }

    /** A conversion from a general register: {@code op rd, rn} with rd S/D and rn W/X. */
    void fromGeneral(InstructionSink out, VectorRegister rd, GeneralRegister rn) {
        if (toGeneral) {
            throw new IllegalArgumentException(name() + " writes a general register");
        }
        emit(out, rd, rn, rd.number(), rn.encodeZrOperand(mnemonic), rn.is64(), FloatType.of(mnemonic, rd));
    }

    private void emit(InstructionSink out, A64Register rd, A64Register rn, int d, int n, boolean sf, int type) {
        if ((this == FMOV_TO_GENERAL || this == FMOV_FROM_GENERAL) && sf != (type == 1)) {
            throw new IllegalArgumentException("fmov between general and FP registers pairs W with S and X with D, not "
                    + rd + " and " + rn);
        }
        int word = (sf ? 1 << 31 : 0) | 0b0011110 << 24 | type << 22 | 1 << 21 | rmode << 19 | opcode << 16
                | n << 5 | d;
        out.emit(word, () -> insn(mnemonic, rd, rn));
    }
}
