package dev.kiln.backend.x64;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.OperandSamples.ALL_GPRS;
import static dev.kiln.backend.x64.OperandSamples.ALL_XMMS;
import static dev.kiln.backend.x64.OperandSamples.SOME_GPRS;
import static dev.kiln.backend.x64.OperandSamples.SOME_XMMS;
import static dev.kiln.backend.x64.OperandSamples.memories;
import static dev.kiln.backend.x64.Width.DWORD;
import static dev.kiln.backend.x64.Width.QWORD;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every SSE instruction form against objdump. */
class SseInstructionsTest {
    private final X64Assembler asm = new X64Assembler(true);
    private final Label later = asm.newLabel("later");
    private final List<MemoryOperand> memories = memories(asm, later);

    private void check(int atLeast) {
        asm.bind(later);
        int n = Objdump.assertListingMatches(asm.finish());
        assertTrue(n >= atLeast, "only " + n + " instructions compared");
    }

    private List<XmmOrMemory> xmmsAndMemories() {
        List<XmmOrMemory> out = new ArrayList<>(ALL_XMMS);
        out.addAll(memories);
        return out;
    }

    private List<GprOrMemory> gprsAndMemories() {
        List<GprOrMemory> out = new ArrayList<>(ALL_GPRS);
        out.addAll(memories);
        return out;
    }

    @Test
    void registerAndMemorySourceForms() {
        for (SseOp op : SseOp.values()) {
            if (op.form() != SseOp.Form.XMM_XMM_OR_MEM) {
                continue;
            }
            for (Xmm dst : SOME_XMMS) {
                for (XmmOrMemory src : xmmsAndMemories()) {
                    asm.sse(op, dst, src);
                }
            }
        }
        check(3000);
    }

    @Test
    void threeOperandVexForms() {
        asm.useVex(true);
        for (SseOp op : SseOp.values()) {
            if (!op.hasThreeOperandForm()) {
                continue;
            }
            for (Xmm dst : SOME_XMMS) {
                for (Xmm src1 : SOME_XMMS) {
                    for (XmmOrMemory src2 : xmmsAndMemories()) {
                        asm.sse(op, dst, src1, src2);
                    }
                }
            }
        }
        check(10000);
    }

    /** With {@link X64Assembler#useVex}, every scalar form is emitted VEX-encoded (no legacy SSE mixed into AVX code). */
    @Test
    void everyFormInVexEncoding() {
        asm.useVex(true);
        for (SseOp op : SseOp.values()) {
            if (op.form() != SseOp.Form.XMM_XMM_OR_MEM) continue;
            for (Xmm dst : SOME_XMMS) for (XmmOrMemory src : xmmsAndMemories()) asm.sse(op, dst, src);
        }
        for (Xmm x : SOME_XMMS) {
            for (XmmOrMemory src : xmmsAndMemories()) {
                asm.round(SseOp.ROUNDSD, x, src, RoundingMode.FLOOR);
                asm.round(SseOp.ROUNDSS, x, src, RoundingMode.NEAREST);
            }
            for (MemoryOperand m : memories) {
                asm.movss(m, x);
                asm.movsd(m, x);
                asm.movups(m, x);
            }
            for (GprOrMemory o : gprsAndMemories()) {
                asm.movd(x, o);
                asm.movq(x, o);
                asm.movd(o, x);
                asm.movq(o, x);
                for (Width w : List.of(DWORD, QWORD)) {
                    asm.cvtsi2ss(w, x, o);
                    asm.cvtsi2sd(w, x, o);
                }
            }
            for (Gpr r : SOME_GPRS) {
                for (Width w : List.of(DWORD, QWORD)) {
                    asm.cvttss2si(w, r, x);
                    asm.cvttsd2si(w, r, memories.get(0));
                    asm.cvtsd2si(w, r, x);
                }
            }
        }
        AssembledCode code = finishChecked(5000);
        for (String line : code.listing()) {
            String text = Objdump.listingText(line);
            if (Objdump.listingOffset(line) >= code.constantPoolOffset() || text.equals("int3")) continue; // the label's padding
            assertTrue(text.startsWith("v"), "legacy SSE in VEX code: " + line);
        }
    }

    private AssembledCode finishChecked(int atLeast) {
        asm.bind(later);
        AssembledCode code = asm.finish();
        int n = Objdump.assertListingMatches(code);
        assertTrue(n >= atLeast, "only " + n + " instructions compared");
        return code;
    }

    @Test
    void rounding() {
        for (SseOp op : List.of(SseOp.ROUNDSS, SseOp.ROUNDSD)) {
            for (Xmm dst : ALL_XMMS) {
                for (XmmOrMemory src : xmmsAndMemories()) {
                    for (RoundingMode mode : RoundingMode.values()) {
                        asm.round(op, dst, src, mode);
                    }
                    asm.sse(op, dst, src, 0);
                    asm.sse(op, dst, src, 255);
                }
            }
        }
        check(1000);
    }

    @Test
    void scalarMovesAndStores() {
        for (Xmm x : ALL_XMMS) {
            for (XmmOrMemory src : xmmsAndMemories()) {
                asm.movss(x, src);
                asm.movsd(x, src);
            }
            for (MemoryOperand m : memories) {
                asm.movss(m, x);
                asm.movsd(m, x);
            }
            for (Xmm y : SOME_XMMS) {
                asm.movaps(x, y);
            }
        }
        check(1000);
    }

    @Test
    void movdMovq() {
        for (Xmm x : ALL_XMMS) {
            for (GprOrMemory o : gprsAndMemories()) {
                asm.movd(x, o);
                asm.movq(x, o);
                asm.movd(o, x);
                asm.movq(o, x);
            }
        }
        check(1000);
    }

    @Test
    void integerConversions() {
        for (Width w : List.of(DWORD, QWORD)) {
            for (Xmm x : SOME_XMMS) {
                for (GprOrMemory o : gprsAndMemories()) {
                    asm.cvtsi2ss(w, x, o);
                    asm.cvtsi2sd(w, x, o);
                }
            }
            for (Gpr r : SOME_GPRS) {
                for (XmmOrMemory o : xmmsAndMemories()) {
                    asm.cvttss2si(w, r, o);
                    asm.cvttsd2si(w, r, o);
                    asm.cvtss2si(w, r, o);
                    asm.cvtsd2si(w, r, o);
                }
            }
        }
        check(1000);
    }

    @Test
    void wrongFormIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> asm.sse(SseOp.CVTSI2SD, Xmm.XMM0, Xmm.XMM1));
        assertThrows(IllegalArgumentException.class, () -> asm.sse(SseOp.ADDSD, Xmm.XMM0, Xmm.XMM1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> asm.sse(SseOp.ADDSD, MemoryOperand.mem(Gpr.RAX), Xmm.XMM1));
        assertThrows(IllegalArgumentException.class, () -> asm.cvtsi2sd(Width.WORD, Xmm.XMM0, Gpr.RAX));
        assertThrows(IllegalArgumentException.class, () -> asm.round(SseOp.ADDSS, Xmm.XMM0, Xmm.XMM1, RoundingMode.CEIL));
        assertThrows(IllegalArgumentException.class, () -> asm.sse(SseOp.ROUNDSD, Xmm.XMM0, Xmm.XMM1, 256));
        assertThrows(IllegalArgumentException.class, () -> asm.sse(SseOp.UCOMISD, Xmm.XMM0, Xmm.XMM1, Xmm.XMM2));
        assertThrows(IllegalArgumentException.class, () -> asm.sse(SseOp.MOVSD, Xmm.XMM0, Xmm.XMM1, Xmm.XMM2));
    }
}
