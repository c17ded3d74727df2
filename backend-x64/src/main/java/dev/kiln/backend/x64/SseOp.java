package dev.kiln.backend.x64;

import java.util.Locale;

/**
 * SSE2/SSE4.1 instructions: mandatory prefix, opcode bytes after 0x0F, the operand shape ({@link Form}) and
 * the size of a memory operand. Most rows are {@link Form#XMM_XMM_OR_MEM} and are emitted with
 * {@link X64Assembler#sse(SseOp, Xmm, XmmOrMemory)}; the others are reached through the named methods
 * ({@link X64Assembler#movss}, {@link X64Assembler#movd}, {@link X64Assembler#cvtsi2sd},
 * {@link X64Assembler#round}, ...).
 */
public enum SseOp {
    // Data movement. Register-to-register MOVSS/MOVSD merge into the low lane; MOVAPS/MOVAPD copy it all.
    MOVSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x10),
    MOVSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x10),
    MOVSS_STORE(0xF3, Form.MEM_XMM, 32, 0x11),
    MOVSD_STORE(0xF2, Form.MEM_XMM, 64, 0x11),
    MOVAPS(0, Form.XMM_XMM_OR_MEM, 128, 0x28),
    MOVAPD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x28),
    /** 16 bytes, any alignment: v128 loads from stack slots, buffers and the return area. */
    MOVUPS(0, Form.XMM_XMM_OR_MEM, 128, 0x10),
    MOVUPS_STORE(0, Form.MEM_XMM, 128, 0x11),
    /** XMM &lt;- r/m32 ({@code movd}) or r/m64 ({@code movq}, with a QWORD width). */
    MOVD_TO_XMM(0x66, Form.XMM_GPR_OR_MEM, 0, 0x6E),
    /** r/m32 ({@code movd}) or r/m64 ({@code movq}, with a QWORD width) &lt;- XMM. */
    MOVD_FROM_XMM(0x66, Form.GPR_OR_MEM_XMM, 0, 0x7E),

    // Arithmetic.
    ADDSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x58),
    ADDSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x58),
    SUBSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x5C),
    SUBSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x5C),
    MULSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x59),
    MULSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x59),
    DIVSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x5E),
    DIVSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x5E),
    SQRTSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x51),
    SQRTSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x51),
    /** Minimum; returns the second (source) operand when either is NaN or both are zero. */
    MINSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x5D),
    MINSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x5D),
    /** Maximum; returns the second (source) operand when either is NaN or both are zero. */
    MAXSS(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x5F),
    MAXSD(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x5F),
    /** SSE4.1 rounding with an imm8 mode ({@link RoundingMode}). */
    ROUNDSS(0x66, Form.XMM_XMM_OR_MEM_IMM8, 32, 0x3A, 0x0A),
    ROUNDSD(0x66, Form.XMM_XMM_OR_MEM_IMM8, 64, 0x3A, 0x0B),

    // Comparison: sets ZF, PF, CF (unordered: all three set).
    UCOMISS(0, Form.XMM_XMM_OR_MEM, 32, 0x2E),
    UCOMISD(0x66, Form.XMM_XMM_OR_MEM, 64, 0x2E),

    // Conversions.
    CVTSS2SD(0xF3, Form.XMM_XMM_OR_MEM, 32, 0x5A),
    CVTSD2SS(0xF2, Form.XMM_XMM_OR_MEM, 64, 0x5A),
    /** Signed 32/64-bit integer to float. */
    CVTSI2SS(0xF3, Form.XMM_GPR_OR_MEM, 0, 0x2A),
    /** Signed 32/64-bit integer to double. */
    CVTSI2SD(0xF2, Form.XMM_GPR_OR_MEM, 0, 0x2A),
    /** Float to signed 32/64-bit integer, truncating; out of range or NaN gives the "integer indefinite" MIN_VALUE. */
    CVTTSS2SI(0xF3, Form.GPR_XMM_OR_MEM, 32, 0x2C),
    /** Double to signed 32/64-bit integer, truncating; out of range or NaN gives the "integer indefinite" MIN_VALUE. */
    CVTTSD2SI(0xF2, Form.GPR_XMM_OR_MEM, 64, 0x2C),
    /** Float to signed 32/64-bit integer, rounding as MXCSR says (kiln keeps the default: to nearest, ties to even). */
    CVTSS2SI(0xF3, Form.GPR_XMM_OR_MEM, 32, 0x2D),
    /** Double to signed 32/64-bit integer, rounding as MXCSR says. */
    CVTSD2SI(0xF2, Form.GPR_XMM_OR_MEM, 64, 0x2D),

    // Bitwise, on the whole register (memory operands must be 16-byte aligned).
    ANDPS(0, Form.XMM_XMM_OR_MEM, 128, 0x54),
    ANDPD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x54),
    /** {@code dst = ~dst & src}. */
    ANDNPS(0, Form.XMM_XMM_OR_MEM, 128, 0x55),
    ANDNPD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x55),
    ORPS(0, Form.XMM_XMM_OR_MEM, 128, 0x56),
    ORPD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x56),
    XORPS(0, Form.XMM_XMM_OR_MEM, 128, 0x57),
    XORPD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x57),
    PXOR(0x66, Form.XMM_XMM_OR_MEM, 128, 0xEF),
    /** Per-dword equality; {@code pcmpeqd x,x} sets x to all ones. */
    PCMPEQD(0x66, Form.XMM_XMM_OR_MEM, 128, 0x76);

    /** The operand shape of an {@link SseOp}; the ModRM reg field always holds the first register listed. */
    public enum Form {
        /** {@code op xmm, xmm/m} */
        XMM_XMM_OR_MEM,
        /** {@code op xmm, xmm/m, imm8} */
        XMM_XMM_OR_MEM_IMM8,
        /** {@code op m, xmm} (stores) */
        MEM_XMM,
        /** {@code op xmm, r/m32/64} (the integer width sets REX.W) */
        XMM_GPR_OR_MEM,
        /** {@code op r32/64, xmm/m} */
        GPR_XMM_OR_MEM,
        /** {@code op r/m32/64, xmm} */
        GPR_OR_MEM_XMM
    }

    private final int prefix;
    private final Form form;
    private final int memoryBits;
    private final int[] opcode;

    SseOp(int prefix, Form form, int memoryBits, int... opcode) {
        this.prefix = prefix;
        this.form = form;
        this.memoryBits = memoryBits;
        this.opcode = opcode;
    }

    /** The operand shape. */
    public Form form() {
        return form;
    }

    /** The mandatory prefix (0x66, 0xF2, 0xF3) or 0 for none. */
    int prefix() {
        return prefix;
    }

    /**
     * True when the instruction has a VEX (AVX) form {@code vop dst, src1, src2} with a second source
     * ({@link X64Assembler#sse(SseOp, Xmm, Xmm, XmmOrMemory)}): the arithmetic, bitwise and conversion
     * rows, not the moves or the comparisons (whose VEX forms take no second source).
     */
    public boolean hasThreeOperandForm() {
        return form == Form.XMM_XMM_OR_MEM && opcode.length == 1 && switch (this) {
            case MOVSS, MOVSD, MOVAPS, MOVAPD, MOVUPS, UCOMISS, UCOMISD -> false;
            default -> true;
        };
    }

    /** The opcode bytes, starting with 0x0F. */
    int[] opcode() {
        int[] bytes = new int[opcode.length + 1];
        bytes[0] = 0x0F;
        System.arraycopy(opcode, 0, bytes, 1, opcode.length);
        return bytes;
    }

    /**
     * The size in bits of a memory operand of this instruction when it does not depend on an integer
     * width (32, 64 or 128), else 0.
     */
    int memoryBits() {
        return memoryBits;
    }

    /** The Intel mnemonic when used with an integer operand of {@code width} (movd becomes movq at QWORD). */
    public String mnemonic(Width width) {
        return switch (this) {
            case MOVD_TO_XMM, MOVD_FROM_XMM -> width == Width.QWORD ? "movq" : "movd";
            case MOVSS_STORE -> "movss";
            case MOVSD_STORE -> "movsd";
            case MOVUPS_STORE -> "movups";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return mnemonic(Width.DWORD);
    }
}
