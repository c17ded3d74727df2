package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.memAbsolute;
import static dev.kiln.backend.x64.MemoryOperand.memIndex;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.MemoryOperand.ripSymbol;

/** Representative operands for the encoding tests. */
final class OperandSamples {
    private OperandSamples() {
    }

    static final List<Gpr> ALL_GPRS = List.of(Gpr.values());
    static final List<Xmm> ALL_XMMS = List.of(Xmm.values());

    /** A spread of registers: accumulator, the SIB/displacement special cases, REX-needing bytes, R8-R15. */
    static final List<Gpr> SOME_GPRS = List.of(RAX, RCX, RSP, RBP, RSI, RDI, R8, R12, R13, R15);

    static final List<Xmm> SOME_XMMS = List.of(Xmm.XMM0, Xmm.XMM1, Xmm.XMM7, Xmm.XMM8, Xmm.XMM13, Xmm.XMM15);

    static final List<Width> WIDTHS = List.of(Width.values());

    /** Immediates around the imm8/imm16/imm32 boundaries. */
    static final List<Long> IMMEDIATES = List.of(0L, 1L, 2L, -1L, 127L, 128L, -128L, -129L, 255L, 256L, 32767L,
            32768L, -32768L, -32769L, 65535L, 0x12345678L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE,
            0xFFFFFFFFL, 0x80000000L, 0x100000000L, 0x123456789ABCDEF0L, Long.MIN_VALUE, Long.MAX_VALUE);

    /** The immediates that fit {@code w} (signed or unsigned) and a Java int. */
    static List<Integer> intImmediates(Width w) {
        List<Integer> out = new ArrayList<>();
        for (long v : IMMEDIATES) {
            boolean fits = w.bits() == 64 || w.bits() == 32
                    ? v == (int) v
                    : v >= -(1L << (w.bits() - 1)) && v < (1L << w.bits());
            if (fits) {
                out.add((int) v);
            }
        }
        return out;
    }

    /** Address-shaped memory operands covering every ModRM/SIB/displacement case. */
    static final List<MemoryOperand> ADDRESSES = List.of(
            mem(RAX), mem(RCX), mem(RSP), mem(RBP), mem(R12), mem(R13), mem(R8), mem(R15),
            mem(RAX, 8), mem(RSP, -8), mem(RBP, 16), mem(R12, 127), mem(R13, -128), mem(RBX, 128), mem(RSI, -129),
            mem(R9, Integer.MAX_VALUE), mem(RDI, Integer.MIN_VALUE), mem(RSP, 0x1000), mem(RBP, -0x12345),
            mem(RAX, RBX, 1), mem(RSP, RBP, 2, 16), mem(RBP, R12, 4), mem(R13, R13, 8, -4), mem(R12, R15, 8, 0x12345),
            mem(R8, RAX, 2, 0), mem(RDX, R9, 1, -1), mem(R11, RSI, 4, 300), mem(RBP, RAX, 1, 0), mem(R13, R8, 8),
            memIndex(RCX, 4, 0), memIndex(R11, 8, -16), memIndex(RBP, 1, 0x7FFF0000), memIndex(R12, 2, 4),
            memAbsolute(0x1000), memAbsolute(-16), memAbsolute(0));

    /** {@link #ADDRESSES} plus RIP-relative operands to a pool constant, a code label and an external symbol. */
    static List<MemoryOperand> memories(X64Assembler asm, Label codeLabel) {
        List<MemoryOperand> out = new ArrayList<>(ADDRESSES);
        out.add(rip(asm.constant64(0x3FF0000000000000L)));
        out.add(rip(codeLabel));
        out.add(rip(codeLabel, -100));
        out.add(ripSymbol("external_data"));
        out.add(ripSymbol("external_data", 24));
        return out;
    }
}
