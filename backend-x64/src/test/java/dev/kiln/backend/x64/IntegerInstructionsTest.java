package dev.kiln.backend.x64;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.OperandSamples.ALL_GPRS;
import static dev.kiln.backend.x64.OperandSamples.IMMEDIATES;
import static dev.kiln.backend.x64.OperandSamples.SOME_GPRS;
import static dev.kiln.backend.x64.OperandSamples.WIDTHS;
import static dev.kiln.backend.x64.OperandSamples.intImmediates;
import static dev.kiln.backend.x64.OperandSamples.memories;
import static dev.kiln.backend.x64.Width.BYTE;
import static dev.kiln.backend.x64.Width.DWORD;
import static dev.kiln.backend.x64.Width.QWORD;
import static dev.kiln.backend.x64.Width.WORD;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every integer instruction form, over a spread of registers, widths, immediates and memory shapes, against objdump. */
class IntegerInstructionsTest {
    private final X64Assembler asm = new X64Assembler(true);
    private final Label here = asm.newLabel("here");
    private final List<MemoryOperand> memories;

    IntegerInstructionsTest() {
        asm.bind(here);
        memories = memories(asm, here);
    }

    private void check(int atLeast) {
        int n = Objdump.assertListingMatches(asm.finish());
        assertTrue(n >= atLeast, "only " + n + " instructions compared");
    }

    @Test
    void movRegisterAndMemory() {
        for (Width w : WIDTHS) {
            for (Gpr dst : ALL_GPRS) {
                for (Gpr src : ALL_GPRS) {
                    asm.mov(w, dst, src);
                }
            }
            for (Gpr r : SOME_GPRS) {
                for (MemoryOperand m : memories) {
                    asm.mov(w, r, m);
                    asm.mov(w, m, r);
                }
            }
        }
        check(4 * 256);
    }

    @Test
    void movImmediate() {
        for (Width w : WIDTHS) {
            for (Gpr r : ALL_GPRS) {
                for (long imm : IMMEDIATES) {
                    if (w == QWORD || imm >= -(1L << (w.bits() - 1)) && imm < (1L << w.bits())) {
                        asm.mov(w, r, imm);
                    }
                }
            }
            for (MemoryOperand m : memories) {
                for (int imm : intImmediates(w)) {
                    asm.mov(w, m, imm);
                }
            }
        }
        for (Gpr r : ALL_GPRS) {
            asm.movabs(r, 0);
            asm.movabs(r, -2);
            asm.movabs(r, 0x1122334455667788L);
        }
        check(500);
    }

    @Test
    void zeroAndSignExtension() {
        List<Width[]> pairs = List.of(new Width[] {WORD, BYTE}, new Width[] {DWORD, BYTE}, new Width[] {QWORD, BYTE},
                new Width[] {DWORD, WORD}, new Width[] {QWORD, WORD}, new Width[] {QWORD, DWORD});
        for (Width[] p : pairs) {
            for (Gpr dst : SOME_GPRS) {
                for (Gpr src : ALL_GPRS) {
                    asm.movzx(p[0], dst, p[1], src);
                    asm.movsx(p[0], dst, p[1], src);
                }
                for (MemoryOperand m : memories) {
                    asm.movzx(p[0], dst, p[1], m);
                    asm.movsx(p[0], dst, p[1], m);
                }
            }
        }
        check(1000);
    }

    @Test
    void leaPushPopXchg() {
        for (Gpr r : ALL_GPRS) {
            for (MemoryOperand m : memories) {
                asm.lea(QWORD, r, m);
                asm.lea(DWORD, r, m);
            }
            asm.lea(WORD, r, MemoryOperand.mem(Gpr.RBX, Gpr.R14, 2, 6));
            asm.push(r);
            asm.pop(r);
            for (Width w : WIDTHS) {
                for (Gpr s : SOME_GPRS) {
                    asm.xchg(w, r, s);
                }
            }
        }
        check(500);
    }

    @Test
    void aluAllForms() {
        for (AluOp op : AluOp.values()) {
            for (Width w : WIDTHS) {
                for (Gpr dst : ALL_GPRS) {
                    for (Gpr src : SOME_GPRS) {
                        asm.alu(op, w, dst, src);
                    }
                    for (int imm : intImmediates(w)) {
                        asm.alu(op, w, dst, imm);
                    }
                }
                for (MemoryOperand m : memories) {
                    asm.alu(op, w, Gpr.RDX, m);
                    asm.alu(op, w, Gpr.R11, m);
                    asm.alu(op, w, m, Gpr.RDI);
                    asm.alu(op, w, m, Gpr.R9);
                    for (int imm : List.of(0, -1, 127, 128, -129, 255)) {
                        if (w != BYTE || imm >= -128 && imm <= 255) {
                            asm.alu(op, w, m, imm);
                        }
                    }
                }
            }
        }
        check(5000);
    }

    @Test
    void testAllForms() {
        for (Width w : WIDTHS) {
            for (Gpr a : ALL_GPRS) {
                for (Gpr b : SOME_GPRS) {
                    asm.test(w, a, b);
                }
                for (int imm : intImmediates(w)) {
                    asm.test(w, a, imm);
                }
            }
            for (MemoryOperand m : memories) {
                asm.test(w, m, Gpr.RSI);
                asm.test(w, m, Gpr.R10);
                asm.test(w, m, 1);
                asm.test(w, m, -1);
            }
        }
        check(1000);
    }

    @Test
    void unaryMultiplyDivide() {
        for (Width w : WIDTHS) {
            for (GprOrMemory o : withMemories(ALL_GPRS)) {
                for (UnaryOp op : UnaryOp.values()) {
                    asm.unary(op, w, o);
                }
                for (MulDivOp op : MulDivOp.values()) {
                    asm.mulDiv(op, w, o);
                }
            }
        }
        asm.cdq();
        asm.cqo();
        check(1000);
    }

    @Test
    void imulForms() {
        for (Width w : List.of(WORD, DWORD, QWORD)) {
            for (Gpr dst : SOME_GPRS) {
                for (GprOrMemory src : withMemories(ALL_GPRS)) {
                    asm.imul(w, dst, src);
                    asm.imul(w, dst, src, 3);
                    asm.imul(w, dst, src, -128);
                    asm.imul(w, dst, src, w == WORD ? 0x7FFF : 1000000);
                    asm.imul(w, dst, src, -129);
                }
            }
        }
        check(1000);
    }

    @Test
    void shiftsAndRotates() {
        for (ShiftOp op : ShiftOp.values()) {
            for (Width w : WIDTHS) {
                for (GprOrMemory o : withMemories(ALL_GPRS)) {
                    asm.shiftByCl(op, w, o);
                    asm.shift(op, w, o, 1);
                    asm.shift(op, w, o, 0);
                    asm.shift(op, w, o, 31);
                    asm.shift(op, w, o, 63);
                    asm.shift(op, w, o, 255);
                }
            }
        }
        check(1000);
    }

    @Test
    void bitCounts() {
        for (BitCountOp op : BitCountOp.values()) {
            for (Width w : List.of(WORD, DWORD, QWORD)) {
                for (Gpr dst : SOME_GPRS) {
                    for (GprOrMemory src : withMemories(ALL_GPRS)) {
                        asm.bitCount(op, w, dst, src);
                    }
                }
            }
        }
        check(1000);
    }

    @Test
    void setccAndCmov() {
        for (Condition c : Condition.values()) {
            for (GprOrMemory o : withMemories(ALL_GPRS)) {
                asm.setcc(c, o);
            }
            for (Width w : List.of(WORD, DWORD, QWORD)) {
                for (Gpr dst : SOME_GPRS) {
                    for (GprOrMemory src : withMemories(SOME_GPRS)) {
                        asm.cmov(c, w, dst, src);
                    }
                }
            }
        }
        check(1000);
    }

    private List<GprOrMemory> withMemories(List<Gpr> registers) {
        List<GprOrMemory> out = new ArrayList<>(registers);
        out.addAll(memories);
        return out;
    }
}
