package dev.kiln.backend.x64;

import dev.kiln.ir.code.CpuFeature;

import java.util.Locale;

/**
 * The packed SSE/AVX instructions of the SIMD lowering, each with both encodings: the legacy SSE
 * one ({@code [66|F2|F3] [REX] 0F [38|3A] op}, two operands, the destination also the first source)
 * and the VEX one ({@code C4/C5 ... op}, three operands, the first source in VEX.vvvv). The
 * assembler picks one per instruction ({@link X64Assembler#vec}). Each row gives the mandatory
 * prefix, the opcode map and byte, the operand shape ({@link Form}), the size of a memory operand,
 * the extension the SSE form needs, and the extension the VEX form needs.
 */
public enum VecOp {
    // ---- moves
    MOVDQA(0x66, 1, 0x6F, Form.UNARY, 128, Needs.SSE2),
    MOVDQU(0xF3, 1, 0x6F, Form.UNARY, 128, Needs.SSE2),
    MOVDQU_STORE(0xF3, 1, 0x7F, Form.STORE, 128, Needs.SSE2, "movdqu"),
    MOVAPS(0, 1, 0x28, Form.UNARY, 128, Needs.SSE2),
    /** The low 64 bits, upper ones zeroed (load, or register to register). */
    MOVQ(0xF3, 1, 0x7E, Form.UNARY, 64, Needs.SSE2),
    MOVQ_STORE(0x66, 1, 0xD6, Form.STORE, 64, Needs.SSE2, "movq"),
    /** The low 32 bits from memory, upper ones zeroed. */
    MOVD_LOAD(0x66, 1, 0x6E, Form.UNARY, 32, Needs.SSE2, "movd"),
    MOVDDUP(0xF2, 1, 0x12, Form.UNARY, 64, CpuFeature.SSE3),
    MOVLHPS(0, 1, 0x16, Form.BINARY, 0, Needs.SSE2),
    MOVHLPS(0, 1, 0x12, Form.BINARY, 0, Needs.SSE2),
    MOVSD_MERGE(0xF2, 1, 0x10, Form.BINARY, 0, Needs.SSE2, "movsd"),
    MOVSS_MERGE(0xF3, 1, 0x10, Form.BINARY, 0, Needs.SSE2, "movss"),
    /** The high 64 bits from memory, the low 64 kept (three-operand in VEX). */
    MOVHPS_LOAD(0, 1, 0x16, Form.BINARY, 64, Needs.SSE2, "movhps"),
    MOVHPS_STORE(0, 1, 0x17, Form.STORE, 64, Needs.SSE2, "movhps"),

    // ---- integer arithmetic
    PADDB(0x66, 1, 0xFC), PADDW(0x66, 1, 0xFD), PADDD(0x66, 1, 0xFE), PADDQ(0x66, 1, 0xD4),
    PSUBB(0x66, 1, 0xF8), PSUBW(0x66, 1, 0xF9), PSUBD(0x66, 1, 0xFA), PSUBQ(0x66, 1, 0xFB),
    PADDSB(0x66, 1, 0xEC), PADDSW(0x66, 1, 0xED), PADDUSB(0x66, 1, 0xDC), PADDUSW(0x66, 1, 0xDD),
    PSUBSB(0x66, 1, 0xE8), PSUBSW(0x66, 1, 0xE9), PSUBUSB(0x66, 1, 0xD8), PSUBUSW(0x66, 1, 0xD9),
    PMULLW(0x66, 1, 0xD5), PMULHW(0x66, 1, 0xE5), PMULHUW(0x66, 1, 0xE4), PMULUDQ(0x66, 1, 0xF4),
    PMADDWD(0x66, 1, 0xF5),
    PMULLD(0x66, 2, 0x40, Form.BINARY, 128, CpuFeature.SSE4_1),
    PMULDQ(0x66, 2, 0x28, Form.BINARY, 128, CpuFeature.SSE4_1),
    PMULHRSW(0x66, 2, 0x0B, Form.BINARY, 128, CpuFeature.SSSE3),
    PMADDUBSW(0x66, 2, 0x04, Form.BINARY, 128, CpuFeature.SSSE3),
    PHADDW(0x66, 2, 0x01, Form.BINARY, 128, CpuFeature.SSSE3),
    PHADDD(0x66, 2, 0x02, Form.BINARY, 128, CpuFeature.SSSE3),
    PHADDSW(0x66, 2, 0x03, Form.BINARY, 128, CpuFeature.SSSE3),
    PAVGB(0x66, 1, 0xE0), PAVGW(0x66, 1, 0xE3),
    PMINUB(0x66, 1, 0xDA), PMAXUB(0x66, 1, 0xDE), PMINSW(0x66, 1, 0xEA), PMAXSW(0x66, 1, 0xEE),
    PMINSB(0x66, 2, 0x38, Form.BINARY, 128, CpuFeature.SSE4_1), PMAXSB(0x66, 2, 0x3C, Form.BINARY, 128, CpuFeature.SSE4_1),
    PMINUW(0x66, 2, 0x3A, Form.BINARY, 128, CpuFeature.SSE4_1), PMAXUW(0x66, 2, 0x3E, Form.BINARY, 128, CpuFeature.SSE4_1),
    PMINSD(0x66, 2, 0x39, Form.BINARY, 128, CpuFeature.SSE4_1), PMAXSD(0x66, 2, 0x3D, Form.BINARY, 128, CpuFeature.SSE4_1),
    PMINUD(0x66, 2, 0x3B, Form.BINARY, 128, CpuFeature.SSE4_1), PMAXUD(0x66, 2, 0x3F, Form.BINARY, 128, CpuFeature.SSE4_1),
    PABSB(0x66, 2, 0x1C, Form.UNARY, 128, CpuFeature.SSSE3), PABSW(0x66, 2, 0x1D, Form.UNARY, 128, CpuFeature.SSSE3),
    PABSD(0x66, 2, 0x1E, Form.UNARY, 128, CpuFeature.SSSE3),
    PSADBW(0x66, 1, 0xF6),

    // ---- integer comparisons
    PCMPEQB(0x66, 1, 0x74), PCMPEQW(0x66, 1, 0x75), PCMPEQD(0x66, 1, 0x76),
    PCMPEQQ(0x66, 2, 0x29, Form.BINARY, 128, CpuFeature.SSE4_1),
    PCMPGTB(0x66, 1, 0x64), PCMPGTW(0x66, 1, 0x65), PCMPGTD(0x66, 1, 0x66),
    PCMPGTQ(0x66, 2, 0x37, Form.BINARY, 128, CpuFeature.SSE4_2),

    // ---- bitwise
    PAND(0x66, 1, 0xDB), PANDN(0x66, 1, 0xDF), POR(0x66, 1, 0xEB), PXOR(0x66, 1, 0xEF),
    ANDPS(0, 1, 0x54), ANDNPS(0, 1, 0x55), ORPS(0, 1, 0x56), XORPS(0, 1, 0x57),
    ANDPD(0x66, 1, 0x54), ANDNPD(0x66, 1, 0x55), ORPD(0x66, 1, 0x56), XORPD(0x66, 1, 0x57),
    PTEST(0x66, 2, 0x17, Form.UNARY, 128, CpuFeature.SSE4_1),

    // ---- shifts (by the low 64 bits of an XMM register, or by an immediate)
    PSLLW(0x66, 1, 0xF1, Form.BINARY, 128, Needs.SSE2), PSLLD(0x66, 1, 0xF2, Form.BINARY, 128, Needs.SSE2),
    PSLLQ(0x66, 1, 0xF3, Form.BINARY, 128, Needs.SSE2), PSRLW(0x66, 1, 0xD1, Form.BINARY, 128, Needs.SSE2),
    PSRLD(0x66, 1, 0xD2, Form.BINARY, 128, Needs.SSE2), PSRLQ(0x66, 1, 0xD3, Form.BINARY, 128, Needs.SSE2),
    PSRAW(0x66, 1, 0xE1, Form.BINARY, 128, Needs.SSE2), PSRAD(0x66, 1, 0xE2, Form.BINARY, 128, Needs.SSE2),
    PSLLW_IMM(0x66, 1, 0x71, 6, "psllw"), PSLLD_IMM(0x66, 1, 0x72, 6, "pslld"), PSLLQ_IMM(0x66, 1, 0x73, 6, "psllq"),
    PSRLW_IMM(0x66, 1, 0x71, 2, "psrlw"), PSRLD_IMM(0x66, 1, 0x72, 2, "psrld"), PSRLQ_IMM(0x66, 1, 0x73, 2, "psrlq"),
    PSRAW_IMM(0x66, 1, 0x71, 4, "psraw"), PSRAD_IMM(0x66, 1, 0x72, 4, "psrad"),
    /** Shift the whole register left by bytes. */
    PSLLDQ(0x66, 1, 0x73, 7, "pslldq"),
    /** Shift the whole register right by bytes. */
    PSRLDQ(0x66, 1, 0x73, 3, "psrldq"),

    // ---- narrowing, widening, interleaving, shuffles
    PACKSSWB(0x66, 1, 0x63), PACKUSWB(0x66, 1, 0x67), PACKSSDW(0x66, 1, 0x6B),
    PACKUSDW(0x66, 2, 0x2B, Form.BINARY, 128, CpuFeature.SSE4_1),
    PUNPCKLBW(0x66, 1, 0x60), PUNPCKLWD(0x66, 1, 0x61), PUNPCKLDQ(0x66, 1, 0x62), PUNPCKLQDQ(0x66, 1, 0x6C),
    PUNPCKHBW(0x66, 1, 0x68), PUNPCKHWD(0x66, 1, 0x69), PUNPCKHDQ(0x66, 1, 0x6A), PUNPCKHQDQ(0x66, 1, 0x6D),
    UNPCKLPS(0, 1, 0x14), UNPCKHPS(0, 1, 0x15), UNPCKLPD(0x66, 1, 0x14), UNPCKHPD(0x66, 1, 0x15),
    PMOVSXBW(0x66, 2, 0x20, Form.UNARY, 64, CpuFeature.SSE4_1), PMOVSXWD(0x66, 2, 0x23, Form.UNARY, 64, CpuFeature.SSE4_1),
    PMOVSXDQ(0x66, 2, 0x25, Form.UNARY, 64, CpuFeature.SSE4_1), PMOVZXBW(0x66, 2, 0x30, Form.UNARY, 64, CpuFeature.SSE4_1),
    PMOVZXWD(0x66, 2, 0x33, Form.UNARY, 64, CpuFeature.SSE4_1), PMOVZXDQ(0x66, 2, 0x35, Form.UNARY, 64, CpuFeature.SSE4_1),
    PMOVZXBD(0x66, 2, 0x31, Form.UNARY, 32, CpuFeature.SSE4_1), PMOVZXBQ(0x66, 2, 0x32, Form.UNARY, 16, CpuFeature.SSE4_1),
    PMOVZXWQ(0x66, 2, 0x34, Form.UNARY, 32, CpuFeature.SSE4_1),
    PSHUFB(0x66, 2, 0x00, Form.BINARY, 128, CpuFeature.SSSE3),
    PSHUFD(0x66, 1, 0x70, Form.UNARY_IMM, 128, Needs.SSE2),
    PSHUFLW(0xF2, 1, 0x70, Form.UNARY_IMM, 128, Needs.SSE2),
    PSHUFHW(0xF3, 1, 0x70, Form.UNARY_IMM, 128, Needs.SSE2),
    SHUFPS(0, 1, 0xC6, Form.BINARY_IMM, 128, Needs.SSE2),
    SHUFPD(0x66, 1, 0xC6, Form.BINARY_IMM, 128, Needs.SSE2),
    PALIGNR(0x66, 3, 0x0F, Form.BINARY_IMM, 128, CpuFeature.SSSE3),
    PBLENDW(0x66, 3, 0x0E, Form.BINARY_IMM, 128, CpuFeature.SSE4_1),
    BLENDPS(0x66, 3, 0x0C, Form.BINARY_IMM, 128, CpuFeature.SSE4_1),
    BLENDPD(0x66, 3, 0x0D, Form.BINARY_IMM, 128, CpuFeature.SSE4_1),
    INSERTPS(0x66, 3, 0x21, Form.BINARY_IMM, 32, CpuFeature.SSE4_1),
    /** Byte blend by the high bit of each mask byte (SSE: the mask is XMM0; VEX: a fourth register). */
    PBLENDVB(0x66, 2, 0x10, Form.BLENDV, 128, CpuFeature.SSE4_1),
    BLENDVPS(0x66, 2, 0x14, Form.BLENDV, 128, CpuFeature.SSE4_1),
    BLENDVPD(0x66, 2, 0x15, Form.BLENDV, 128, CpuFeature.SSE4_1),

    // ---- lanes to and from general registers
    PEXTRB(0x66, 3, 0x14, Form.EXTRACT, 8, CpuFeature.SSE4_1),
    PEXTRW(0x66, 3, 0x15, Form.EXTRACT, 16, CpuFeature.SSE4_1),
    PEXTRD(0x66, 3, 0x16, Form.EXTRACT, 32, CpuFeature.SSE4_1),
    PEXTRQ(0x66, 3, 0x16, Form.EXTRACT, 64, CpuFeature.SSE4_1),
    EXTRACTPS(0x66, 3, 0x17, Form.EXTRACT, 32, CpuFeature.SSE4_1),
    PINSRB(0x66, 3, 0x20, Form.INSERT, 8, CpuFeature.SSE4_1),
    PINSRW(0x66, 1, 0xC4, Form.INSERT, 16, Needs.SSE2),
    PINSRD(0x66, 3, 0x22, Form.INSERT, 32, CpuFeature.SSE4_1),
    PINSRQ(0x66, 3, 0x22, Form.INSERT, 64, CpuFeature.SSE4_1),
    PMOVMSKB(0x66, 1, 0xD7, Form.MASK, 0, Needs.SSE2),
    MOVMSKPS(0, 1, 0x50, Form.MASK, 0, Needs.SSE2),
    MOVMSKPD(0x66, 1, 0x50, Form.MASK, 0, Needs.SSE2),

    // ---- broadcasts (VEX only)
    VPBROADCASTB(0x66, 2, 0x78, Form.UNARY, 8, null, "vpbroadcastb", CpuFeature.AVX2),
    VPBROADCASTW(0x66, 2, 0x79, Form.UNARY, 16, null, "vpbroadcastw", CpuFeature.AVX2),
    VPBROADCASTD(0x66, 2, 0x58, Form.UNARY, 32, null, "vpbroadcastd", CpuFeature.AVX2),
    VPBROADCASTQ(0x66, 2, 0x59, Form.UNARY, 64, null, "vpbroadcastq", CpuFeature.AVX2),

    // ---- float arithmetic
    ADDPS(0, 1, 0x58), ADDPD(0x66, 1, 0x58), SUBPS(0, 1, 0x5C), SUBPD(0x66, 1, 0x5C),
    MULPS(0, 1, 0x59), MULPD(0x66, 1, 0x59), DIVPS(0, 1, 0x5E), DIVPD(0x66, 1, 0x5E),
    MINPS(0, 1, 0x5D), MINPD(0x66, 1, 0x5D), MAXPS(0, 1, 0x5F), MAXPD(0x66, 1, 0x5F),
    SQRTPS(0, 1, 0x51, Form.UNARY, 128, Needs.SSE2), SQRTPD(0x66, 1, 0x51, Form.UNARY, 128, Needs.SSE2),
    /** Packed compare with a predicate imm8 (0-7; {@link #comparePredicate}). */
    CMPPS(0, 1, 0xC2, Form.BINARY_IMM, 128, Needs.SSE2),
    CMPPD(0x66, 1, 0xC2, Form.BINARY_IMM, 128, Needs.SSE2),
    ROUNDPS(0x66, 3, 0x08, Form.UNARY_IMM, 128, CpuFeature.SSE4_1),
    ROUNDPD(0x66, 3, 0x09, Form.UNARY_IMM, 128, CpuFeature.SSE4_1),

    // ---- conversions
    CVTDQ2PS(0, 1, 0x5B, Form.UNARY, 128, Needs.SSE2),
    CVTTPS2DQ(0xF3, 1, 0x5B, Form.UNARY, 128, Needs.SSE2),
    CVTPS2PD(0, 1, 0x5A, Form.UNARY, 64, Needs.SSE2),
    CVTPD2PS(0x66, 1, 0x5A, Form.UNARY, 128, Needs.SSE2),
    CVTDQ2PD(0xF3, 1, 0xE6, Form.UNARY, 64, Needs.SSE2),
    CVTTPD2DQ(0x66, 1, 0xE6, Form.UNARY, 128, Needs.SSE2);

    /** The operand shape, in Intel order (destination first). */
    public enum Form {
        /** {@code op x1, x2/m} (x1 is also the first source); VEX {@code vop x1, x2, x3/m}. */
        BINARY,
        /** {@code op x1, x2/m, imm8}; VEX {@code vop x1, x2, x3/m, imm8}. */
        BINARY_IMM,
        /** {@code op x1, x2/m} (x1 written only); VEX the same, VEX.vvvv unused. */
        UNARY,
        /** {@code op x1, x2/m, imm8}; VEX the same. */
        UNARY_IMM,
        /** {@code op x, imm8} with an opcode extension; VEX {@code vop x1, x2, imm8} (x1 in VEX.vvvv). */
        SHIFT_IMM,
        /** {@code op m, x}. */
        STORE,
        /** {@code op r32/r64/m, x, imm8} (pextr*, extractps). */
        EXTRACT,
        /** {@code op x, r32/r64/m, imm8} (pinsr*); VEX {@code vop x1, x2, r/m, imm8}. */
        INSERT,
        /** {@code op r32, x} (pmovmskb, movmskps/pd). */
        MASK,
        /** {@code op x1, x2/m, xmm0}; VEX {@code vop x1, x2, x3/m, x4}. */
        BLENDV
    }

    final int prefix;
    /** 1 = 0F, 2 = 0F 38, 3 = 0F 3A (the VEX.mmmmm value). */
    final int map;
    final int opcode;
    final Form form;
    /** Bits of a memory operand (or of the general-register side of EXTRACT/INSERT); 0 when memory is not allowed. */
    final int memoryBits;
    /** The extension the SSE encoding needs beyond SSE2 (null: none, or no SSE encoding). */
    final CpuFeature sse;
    /** The extension the VEX encoding needs. */
    final CpuFeature vex;
    /** ModRM.reg opcode extension of SHIFT_IMM rows, else -1. */
    final int digit;
    private final String mnemonic;

    VecOp(int prefix, int map, int opcode) {
        this(prefix, map, opcode, Form.BINARY, 128, Needs.SSE2);
    }

    VecOp(int prefix, int map, int opcode, Form form, int memoryBits, CpuFeature sse) {
        this(prefix, map, opcode, form, memoryBits, sse, null);
    }

    VecOp(int prefix, int map, int opcode, Form form, int memoryBits, CpuFeature sse, String mnemonic) {
        this(prefix, map, opcode, form, memoryBits, sse, mnemonic, CpuFeature.AVX);
    }

    VecOp(int prefix, int map, int opcode, int digit, String mnemonic) {
        this(prefix, map, opcode, Form.SHIFT_IMM, 0, Needs.SSE2, mnemonic, CpuFeature.AVX, digit);
    }

    VecOp(int prefix, int map, int opcode, Form form, int memoryBits, CpuFeature sse, String mnemonic, CpuFeature vex) {
        this(prefix, map, opcode, form, memoryBits, sse, mnemonic, vex, -1);
    }

    VecOp(int prefix, int map, int opcode, Form form, int memoryBits, CpuFeature sse, String mnemonic, CpuFeature vex, int digit) {
        this.prefix = prefix;
        this.map = map;
        this.opcode = opcode;
        this.form = form;
        this.memoryBits = memoryBits;
        this.sse = sse;
        this.vex = vex;
        this.digit = digit;
        this.mnemonic = mnemonic != null ? mnemonic : name().toLowerCase(Locale.ROOT);
    }

    public Form form() {
        return form;
    }

    /** True when the SSE (non-VEX) encoding exists. */
    public boolean hasSseForm() {
        return !mnemonic.startsWith("v"); // the rows that exist only in VEX are named by their VEX mnemonic
    }

    /** The extension the SSE form needs beyond SSE2, or null. */
    public CpuFeature sseFeature() {
        return sse;
    }

    /** The extension the VEX form needs. */
    public CpuFeature vexFeature() {
        return vex;
    }

    /** The SSE mnemonic (the VEX one has a {@code v} in front, except for rows that exist only as VEX). */
    public String mnemonic() {
        return mnemonic;
    }

    /** The legacy opcode bytes: the map's escape bytes, then the opcode. */
    int[] legacyOpcode() {
        return switch (map) {
            case 1 -> new int[] {0x0F, opcode};
            case 2 -> new int[] {0x0F, 0x38, opcode};
            default -> new int[] {0x0F, 0x3A, opcode};
        };
    }

    /** VEX.pp: 0 none, 1 = 66, 2 = F3, 3 = F2. */
    int vexPp() {
        return switch (prefix) {
            case 0x66 -> 1;
            case 0xF3 -> 2;
            case 0xF2 -> 3;
            default -> 0;
        };
    }

    /** True for rows whose register form is another instruction: their source must be memory. */
    public boolean memoryOnly() {
        return this == MOVD_LOAD || this == MOVHPS_LOAD;
    }

    /** REX.W / VEX.W: set for the 64-bit general-register forms (pextrq, pinsrq). */
    boolean wide() {
        return this == PEXTRQ || this == PINSRQ;
    }

    /** The predicate names objdump folds into cmpps/cmppd (imm8 0-7): cmpeqps, cmpltps, ... */
    static String comparePredicate(int imm) {
        return switch (imm) {
            case 0 -> "eq";
            case 1 -> "lt";
            case 2 -> "le";
            case 3 -> "unord";
            case 4 -> "neq";
            case 5 -> "nlt";
            case 6 -> "nle";
            case 7 -> "ord";
            default -> throw new IllegalArgumentException("compare predicate " + imm + " is not 0-7");
        };
    }

    /** Markers for the table (enum constants cannot name the enum's own static fields). */
    private static final class Needs {
        /** No extension beyond x86-64's SSE2. */
        static final CpuFeature SSE2 = null;
    }
}
