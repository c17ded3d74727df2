package dev.kiln.backend.x64;

/**
 * The byte layout of one instruction, built by {@link X64Assembler} and written by {@link #writeTo}:
 * <pre>[0x66] [F2/F3/66 mandatory prefix] [REX] opcode... [ModRM [SIB] [disp8/32]] [imm]</pre>
 * or, with {@link #vex}, {@code C5 [R vvvv L pp]} or {@code C4 [R X B mmmmm] [W vvvv L pp]} in place of
 * the prefixes, REX and escape bytes. This is the one place that knows how REX, VEX, ModRM, SIB and
 * displacements are formed.
 */
final class Encoding {
    private final int[] opcode;
    private boolean operandSizePrefix;
    private int mandatoryPrefix;
    private boolean rexW;
    private boolean forceRex;
    private boolean byteOperands;
    private X64Register regRegister;
    private int opcodeRegister = -1;
    private boolean hasModRm;
    private int reg;
    private int rmRegister = -1;
    private MemoryOperand rmMemory;
    private X64Register rmRegisterOperand;
    private int immediateBytes;
    private long immediate;
    private boolean vex;
    private int vexMap;
    private int vexPp;
    private int vexV;

    private Encoding(int[] opcode) {
        this.opcode = opcode;
    }

    /** An instruction with these opcode bytes (including any 0x0F/0x0F 0x3A escape). */
    static Encoding opcode(int... opcode) {
        return new Encoding(opcode);
    }

    /**
     * Applies an integer operand width to all register operands: 0x66 for WORD, REX.W for QWORD; for BYTE
     * (whose opcode the caller chooses) a REX prefix when a register operand is SPL, BPL, SIL or DIL.
     */
    Encoding width(Width width) {
        operandSizePrefix |= width == Width.WORD;
        rexW |= width == Width.QWORD;
        byteOperands |= width == Width.BYTE;
        return this;
    }

    Encoding rexW(boolean w) {
        rexW |= w;
        return this;
    }

    /** A mandatory prefix (0x66, 0xF2, 0xF3), emitted after any operand-size prefix; 0 for none. */
    Encoding prefix(int prefix) {
        mandatoryPrefix = prefix;
        return this;
    }

    /** Forces a REX prefix when {@code r} is accessed as a byte and is SPL, BPL, SIL or DIL. */
    Encoding byteRegister(GprOrMemory r) {
        if (r instanceof Gpr g && g.needsRexForByte()) {
            forceRex = true;
        }
        return this;
    }

    private void checkByteRegister(X64Register r) {
        if (byteOperands && r instanceof Gpr g) {
            byteRegister(g);
        }
    }

    /** The register is added to the last opcode byte ({@code B8+r}, {@code 50+r}); REX.B holds bit 3. */
    Encoding opcodeRegister(Gpr r) {
        opcodeRegister = r.encoding();
        regRegister = r;
        return this;
    }

    /** ModRM.reg: a register. */
    Encoding reg(X64Register r) {
        hasModRm = true;
        reg = r.encoding();
        regRegister = r;
        return this;
    }

    /** ModRM.reg: an opcode extension {@code /digit}. */
    Encoding digit(int digit) {
        hasModRm = true;
        reg = digit;
        return this;
    }

    /** ModRM.rm: a general-purpose register or memory. */
    Encoding rm(GprOrMemory operand) {
        return rmOperand(operand);
    }

    /** ModRM.rm: an XMM register or memory. */
    Encoding rm(XmmOrMemory operand) {
        return rmOperand(operand);
    }

    /** ModRM.rm: memory. */
    Encoding rm(MemoryOperand operand) {
        return rmOperand(operand);
    }

    private Encoding rmOperand(Object operand) {
        hasModRm = true;
        switch (operand) {
            case X64Register r -> {
                rmRegister = r.encoding();
                rmRegisterOperand = r;
            }
            case MemoryOperand m -> rmMemory = m;
            default -> throw new IllegalArgumentException("not an r/m operand: " + operand);
        }
        return this;
    }

    /**
     * A VEX-encoded instruction: {@code map} is VEX.mmmmm (1 = 0F, 2 = 0F 38, 3 = 0F 3A), {@code pp}
     * the implied prefix (0 none, 1 = 66, 2 = F3, 3 = F2), {@code v} the register in VEX.vvvv (0 when
     * unused), 128-bit length. The opcode is then the single byte after the VEX prefix; REX.W is VEX.W.
     */
    Encoding vex(int map, int pp, int v) {
        this.vex = true;
        this.vexMap = map;
        this.vexPp = pp;
        this.vexV = v;
        return this;
    }

    /** An immediate of {@code bytes} bytes (1, 2, 4 or 8) after everything else. */
    Encoding immediate(int bytes, long value) {
        immediateBytes = bytes;
        immediate = value;
        return this;
    }

    int immediateBytes() {
        return immediateBytes;
    }

    /** The memory operand, or null. */
    MemoryOperand memory() {
        return rmMemory;
    }

    /**
     * Writes the instruction and returns the offset of its RIP-relative displacement field, or -1 when it
     * has none; the caller fills that field (or records a fixup or relocation for it).
     */
    int writeTo(CodeBuffer out) {
        checkByteRegister(regRegister);
        checkByteRegister(rmRegisterOperand);
        int rex = (rexW ? 8 : 0) | (hasModRm && reg >= 8 ? 4 : 0);
        if (rmRegister >= 8 || opcodeRegister >= 8) {
            rex |= 1;
        }
        if (rmMemory instanceof MemoryOperand.Address a) {
            if (a.index() != null && a.index().isExtended()) {
                rex |= 2;
            }
            if (a.base() != null && a.base().isExtended()) {
                rex |= 1;
            }
        }
        if (vex) {
            int r = rex >> 2 & 1, x = rex >> 1 & 1, b = rex & 1, w = rexW ? 1 : 0;
            if (vexMap == 1 && x == 0 && b == 0 && w == 0) {
                out.emit8(0xC5);
                out.emit8((r ^ 1) << 7 | (~vexV & 15) << 3 | vexPp);
            } else {
                out.emit8(0xC4);
                out.emit8((r ^ 1) << 7 | (x ^ 1) << 6 | (b ^ 1) << 5 | vexMap);
                out.emit8(w << 7 | (~vexV & 15) << 3 | vexPp);
            }
            out.emit8(opcode[opcode.length - 1]);
            int field = hasModRm ? writeModRm(out) : -1;
            if (immediateBytes > 0) {
                out.emit(immediate, immediateBytes);
            }
            return field;
        }
        if (operandSizePrefix) {
            out.emit8(0x66);
        }
        if (mandatoryPrefix != 0) {
            out.emit8(mandatoryPrefix);
        }
        if (rex != 0 || forceRex) {
            out.emit8(0x40 | rex);
        }
        for (int i = 0; i < opcode.length - 1; i++) {
            out.emit8(opcode[i]);
        }
        out.emit8(opcode[opcode.length - 1] + (opcodeRegister >= 0 ? opcodeRegister & 7 : 0));
        int ripField = -1;
        if (hasModRm) {
            ripField = writeModRm(out);
        }
        if (immediateBytes > 0) {
            out.emit(immediate, immediateBytes);
        }
        return ripField;
    }

    private int writeModRm(CodeBuffer out) {
        int r = reg & 7;
        if (rmMemory == null) {
            out.emit8(modRm(3, r, rmRegister & 7));
            return -1;
        }
        if (!(rmMemory instanceof MemoryOperand.Address a)) {
            out.emit8(modRm(0, r, 5));          // [rip + disp32]
            int field = out.position();
            out.emit(0, 4);
            return field;
        }
        int disp = a.displacement();
        if (a.base() == null) {                   // SIB with base=101 and mod=00: disp32, no base
            int index = a.index() == null ? 4 : a.index().encoding() & 7;
            out.emit8(modRm(0, r, 4));
            out.emit8(sib(a.scale(), index, 5));
            out.emit(disp, 4);
            return -1;
        }
        int base = a.base().encoding() & 7;
        // mod=00 with base 101 means [rip+disp32] / no base, so RBP and R13 always take a displacement.
        int mod = disp == 0 && base != 5 ? 0 : disp == (byte) disp ? 1 : 2;
        if (a.index() != null || base == 4) {      // rm=100 means "SIB follows", so RSP and R12 need a SIB
            int index = a.index() == null ? 4 : a.index().encoding() & 7;
            out.emit8(modRm(mod, r, 4));
            out.emit8(sib(a.scale(), index, base));
        } else {
            out.emit8(modRm(mod, r, base));
        }
        if (mod == 1) {
            out.emit8(disp);
        } else if (mod == 2) {
            out.emit(disp, 4);
        }
        return -1;
    }

    private static int modRm(int mod, int reg, int rm) {
        return mod << 6 | reg << 3 | rm;
    }

    private static int sib(int scale, int index, int base) {
        return Integer.numberOfTrailingZeros(scale) << 6 | index << 3 | base;
    }
}
