package dev.kiln.backend.x64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.OperandSamples.ALL_XMMS;
import static dev.kiln.backend.x64.OperandSamples.SOME_GPRS;
import static dev.kiln.backend.x64.OperandSamples.SOME_XMMS;
import static dev.kiln.backend.x64.OperandSamples.memories;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@link VecOp} in every operand form, in the SSE and the VEX encoding, against objdump:
 * all sixteen XMM registers in each position, and every memory operand shape.
 */
class VecInstructionsTest {
    private final X64Assembler asm = new X64Assembler(true);
    private final Label later = asm.newLabel("later");
    private final List<MemoryOperand> memories = memories(asm, later);

    private void check(int atLeast) {
        asm.bind(later);
        int n = Objdump.assertListingMatches(asm.finish());
        assertTrue(n >= atLeast, "only " + n + " instructions compared");
    }

    private List<XmmOrMemory> sources(VecOp op) {
        List<XmmOrMemory> out = new ArrayList<>(op.memoryOnly() ? List.of() : ALL_XMMS);
        if (op.memoryBits > 0) out.addAll(memories);
        return out;
    }

    /** The registers the SSE form allows as (dst, src1) pairs: equal; the VEX form: any. */
    private List<Xmm[]> destinations(boolean vex) {
        List<Xmm[]> out = new ArrayList<>();
        for (Xmm d : SOME_XMMS) {
            if (vex) for (Xmm s : SOME_XMMS) out.add(new Xmm[] {d, s});
            else out.add(new Xmm[] {d, d});
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyForm(boolean vex) {
        asm.useVex(vex);
        int imms[] = {0, 1, 0x1B, 0x80, 0xFF};
        for (VecOp op : VecOp.values()) {
            if (!vex && !op.hasSseForm()) continue;
            switch (op.form()) {
                case BINARY -> {
                    for (Xmm[] ds : destinations(vex)) for (XmmOrMemory s : sources(op)) asm.vec(op, ds[0], ds[1], s);
                }
                case BINARY_IMM -> {
                    int[] values = op == VecOp.CMPPS || op == VecOp.CMPPD ? new int[] {0, 1, 2, 3, 4, 5, 6, 7} : imms;
                    for (Xmm[] ds : destinations(vex)) for (XmmOrMemory s : sources(op)) for (int i : values) asm.vec(op, ds[0], ds[1], s, i);
                }
                case UNARY -> {
                    for (Xmm d : ALL_XMMS) for (XmmOrMemory s : sources(op)) asm.vec(op, d, s);
                }
                case UNARY_IMM -> {
                    for (Xmm d : SOME_XMMS) for (XmmOrMemory s : sources(op)) for (int i : imms) asm.vec(op, d, s, i);
                }
                case SHIFT_IMM -> {
                    for (Xmm[] ds : destinations(vex)) for (int i : imms) asm.vecShift(op, ds[0], ds[1], i);
                }
                case STORE -> {
                    for (Xmm s : ALL_XMMS) for (MemoryOperand m : memories) asm.vecStore(op, m, s);
                }
                case EXTRACT -> {
                    List<GprOrMemory> dsts = new ArrayList<>(SOME_GPRS);
                    dsts.addAll(memories);
                    for (Xmm s : SOME_XMMS) for (GprOrMemory d : dsts) for (int i : imms) asm.vecExtract(op, d, s, i);
                }
                case INSERT -> {
                    List<GprOrMemory> srcs = new ArrayList<>(SOME_GPRS);
                    srcs.addAll(memories);
                    for (Xmm[] ds : destinations(vex)) for (GprOrMemory s : srcs) for (int i : imms) asm.vecInsert(op, ds[0], ds[1], s, i);
                }
                case MASK -> {
                    for (Gpr d : OperandSamples.ALL_GPRS) for (Xmm s : ALL_XMMS) asm.vecMask(op, d, s);
                }
                case BLENDV -> {
                    for (Xmm[] ds : destinations(vex)) {
                        for (XmmOrMemory s : sources(op)) {
                            if (vex) for (Xmm m : SOME_XMMS) asm.blendv(op, ds[0], ds[1], s, m);
                            else asm.blendv(op, ds[0], ds[1], s, Xmm.XMM0);
                        }
                    }
                }
            }
        }
        check(20_000);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void misuseIsRejected(boolean vex) {
        asm.useVex(vex);
        assertThrows(IllegalArgumentException.class, () -> asm.vec(VecOp.PSHUFD, Xmm.XMM0, Xmm.XMM1, Xmm.XMM2));
        assertThrows(IllegalArgumentException.class, () -> asm.vec(VecOp.MOVLHPS, Xmm.XMM0, Xmm.XMM0, memories.get(0)));
        assertThrows(IllegalArgumentException.class, () -> asm.vec(VecOp.PADDB, Xmm.XMM0, Xmm.XMM0, Xmm.XMM1, 256));
        if (!vex) {
            assertThrows(IllegalArgumentException.class, () -> asm.vec(VecOp.PADDB, Xmm.XMM0, Xmm.XMM1, Xmm.XMM2));
            assertThrows(IllegalArgumentException.class, () -> asm.blendv(VecOp.PBLENDVB, Xmm.XMM1, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3));
            assertThrows(IllegalArgumentException.class, () -> asm.vec(VecOp.VPBROADCASTB, Xmm.XMM1, Xmm.XMM2));
        }
    }
}
