package dev.kiln.backend.x64;

import dev.kiln.ir.code.Relocation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.MemoryOperand.ripSymbol;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Labels, branches, calls, relocations, padding and fixed instructions. */
class ControlFlowTest {
    private final X64Assembler asm = new X64Assembler(true);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] slice(byte[] code, int from, int to) {
        return Arrays.copyOfRange(code, from, to);
    }

    @Test
    void backwardBranchesUseRel8WhenInRangeAndRel32Otherwise() {
        Label top = asm.newLabel("top");
        asm.bind(top);
        asm.jmp(top);                          // 0: eb fe
        asm.jcc(Condition.NE, top);            // 2: 75 fc
        asm.nop(124);                          // 4..0x80
        asm.jcc(Condition.E, top);             // 0x80: distance -0x82 does not fit: 0f 84 rel32
        asm.jmp(top);                          // 0x86: e9 rel32
        AssembledCode code = asm.finish();
        byte[] b = code.code();
        assertArrayEquals(hex("eb fe 75 fc"), slice(b, 0, 4));
        assertArrayEquals(hex("0f 84 7a ff ff ff"), slice(b, 0x80, 0x86));
        assertArrayEquals(hex("e9 75 ff ff ff"), slice(b, 0x86, 0x8b));
        Objdump.assertListingMatches(code);
    }

    @Test
    void boundaryOfRel8() {
        Label top = asm.newLabel();
        asm.bind(top);
        asm.nop(126);
        asm.jmp(top);      // at 126: target - (126 + 2) = -128: fits rel8
        asm.jmp(top);      // at 128: -130: rel32
        AssembledCode code = asm.finish();
        assertArrayEquals(hex("eb 80 e9"), slice(code.code(), 126, 129));
        Objdump.assertListingMatches(code);
    }

    @Test
    void forwardBranchesArePatchedAtBind() {
        Label end = asm.newLabel("end");
        asm.jmp(end);                          // 0: e9 rel32
        asm.jcc(Condition.L, end);             // 5: 0f 8c rel32
        asm.call(end);                         // b: e8 rel32
        asm.jmpShort(end);                     // 10: eb rel8
        asm.jccShort(Condition.A, end);        // 12: 77 rel8
        asm.bind(end);                         // 14
        asm.ret();
        AssembledCode code = asm.finish();
        assertEquals(0x14, end.offset());
        assertArrayEquals(hex("e9 0f 00 00 00 0f 8c 09 00 00 00 e8 04 00 00 00 eb 02 77 00 c3"), code.code());
        Objdump.assertListingMatches(code);
        assertTrue(code.listing().get(0).endsWith("jmp    0x14  ; <end>"), code.listing().get(0));
    }

    @Test
    void shortForwardBranchOutOfRangeFailsAtBind() {
        Label far = asm.newLabel("far");
        asm.jccShort(Condition.E, far);
        asm.nop(128);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> asm.bind(far));
        assertTrue(e.getMessage().contains("far"), e.getMessage());
    }

    @Test
    void shortBackwardBranchOutOfRangeIsRejectedBeforeEmitting() {
        Label top = asm.newLabel("top");
        asm.bind(top);
        asm.nop(200);
        assertThrows(IllegalArgumentException.class, () -> asm.jmpShort(top));
        assertThrows(IllegalArgumentException.class, () -> asm.jccShort(Condition.B, top));
        assertEquals(200, asm.offset());
    }

    @Test
    void everyConditionBothWaysAndBothSizes() {
        Label back = asm.newLabel();
        asm.bind(back);
        Label far = asm.newLabel();
        for (Condition c : Condition.values()) {
            Label near = asm.newLabel();
            asm.jcc(c, back);          // backward, rel8
            asm.jcc(c, far);           // forward, rel32
            asm.jccShort(c, near);     // forward, rel8
            asm.bind(near);
        }
        asm.nop(200);
        for (Condition c : Condition.values()) {
            asm.jcc(c, back);          // backward, rel32
        }
        asm.bind(far);
        asm.ret();
        AssembledCode code = asm.finish();
        Objdump.assertListingMatches(code);
        assertEquals(16 * 4 + 200 / 9 + 1 + 1, code.listing().size());
    }

    @Test
    void callsAndJumpsToExternalSymbolsRecordPlt32() {
        asm.nop();
        asm.call("wasm_func_3");
        asm.jmp("tail_target");
        AssembledCode code = asm.finish();
        assertEquals(List.of(new Relocation(2, X64RelocationModel.R_X86_64_PLT32, "wasm_func_3", -4),
                new Relocation(7, X64RelocationModel.R_X86_64_PLT32, "tail_target", -4)), code.relocations());
        assertArrayEquals(hex("90 e8 00 00 00 00 e9 00 00 00 00"), code.code());
        assertTrue(code.listing().get(1).contains("; R_X86_64_PLT32 wasm_func_3-0x4"), code.listing().get(1));
        Objdump.assertListingMatches(code);
    }

    @Test
    void absoluteAndRipRelativeSymbolReferences() {
        asm.movabs(R10, "vm_helpers", 0x18);                              // 49 ba imm64
        asm.lea(Width.QWORD, RAX, ripSymbol("table"));                    // 48 8d 05 disp32
        asm.alu(AluOp.CMP, Width.DWORD, ripSymbol("counter", 4), 100000); // 81 3d disp32 imm32
        asm.mov(Width.BYTE, ripSymbol("flag"), 1);                        // c6 05 disp32 imm8
        asm.call(ripSymbol("slot"));                                      // ff 15 disp32
        AssembledCode code = asm.finish();
        assertEquals(List.of(
                new Relocation(2, X64RelocationModel.R_X86_64_64, "vm_helpers", 0x18),
                new Relocation(13, X64RelocationModel.R_X86_64_PC32, "table", -4),
                new Relocation(19, X64RelocationModel.R_X86_64_PC32, "counter", 4 - 8),
                new Relocation(29, X64RelocationModel.R_X86_64_PC32, "flag", -5),
                new Relocation(36, X64RelocationModel.R_X86_64_PC32, "slot", -4)), code.relocations());
        Objdump.assertListingMatches(code);
    }

    @Test
    void ripRelativeLabelAccountsForTheImmediate() {
        Label data = asm.newLabel("data");
        asm.alu(AluOp.CMP, Width.QWORD, rip(data), 0x1000);   // 48 81 3d disp32 imm32: 11 bytes
        asm.mov(Width.WORD, rip(data, 2), 7);                 // 66 c7 05 disp32 imm16: 9 bytes
        asm.bind(data);
        AssembledCode code = asm.finish();
        assertArrayEquals(hex("48 81 3d 09 00 00 00 00 10 00 00 66 c7 05 02 00 00 00 07 00"), code.code());
        Objdump.assertListingMatches(code);
    }

    @Test
    void indirectCallsAndJumps() {
        for (Gpr r : Gpr.values()) {
            asm.call(r);
            asm.jmp(r);
        }
        for (MemoryOperand m : OperandSamples.ADDRESSES) {
            asm.call(m);
            asm.jmp(m);
        }
        Objdump.assertListingMatches(asm.finish());
    }

    @Test
    void fixedInstructions() {
        for (FixedInstruction f : FixedInstruction.values()) {
            asm.emit(f);
        }
        asm.ret();
        asm.ud2();
        asm.int3();
        asm.nop();
        asm.cdq();
        asm.cqo();
        AssembledCode code = asm.finish();
        assertEquals(FixedInstruction.values().length + 6, Objdump.assertListingMatches(code));
        assertArrayEquals(hex("c3 c9 0f 0b cc 90 99 48 99 fc fd 0f 05 f3 a4 f3 aa"), slice(code.code(), 0, 17));
    }

    @Test
    void nopPaddingOfEveryLength() {
        int expected = 0;
        for (int n = 0; n <= 20; n++) {
            asm.nop(n);
            expected += n;
            assertEquals(expected, asm.offset());
            asm.int3();
            expected++;
        }
        Objdump.assertListingMatches(asm.finish());
    }

    @Test
    void alignPadsToTheBoundary() {
        asm.nop();
        asm.align(16);
        assertEquals(16, asm.offset());
        asm.align(16);
        assertEquals(16, asm.offset());
        asm.ret();
        asm.align(64);
        assertEquals(64, asm.offset());
        asm.align(1);
        assertEquals(64, asm.offset());
        assertThrows(IllegalArgumentException.class, () -> asm.align(12));
        assertThrows(IllegalArgumentException.class, () -> asm.align(0));
        Objdump.assertListingMatches(asm.finish());
    }

    @Test
    void labelRules() {
        Label l = asm.newLabel("l");
        assertThrows(IllegalStateException.class, l::offset);
        asm.nop(3);
        asm.bind(l);
        assertEquals(3, l.offset());
        assertTrue(l.isBound());
        assertThrows(IllegalStateException.class, () -> asm.bind(l));
        Label foreign = new X64Assembler().newLabel();
        assertThrows(IllegalArgumentException.class, () -> asm.jmp(foreign));
        assertThrows(IllegalArgumentException.class, () -> asm.bind(foreign));
        assertThrows(IllegalArgumentException.class, () -> asm.movsd(Xmm.XMM0, rip(foreign)));
    }

    @Test
    void finishRejectsReferencedUnboundLabels() {
        Label unused = asm.newLabel("unused");
        Label missing = asm.newLabel("missing");
        asm.jcc(Condition.E, missing);
        asm.lea(Width.QWORD, RAX, rip(missing));
        IllegalStateException e = assertThrows(IllegalStateException.class, asm::finish);
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("0x2")
                && e.getMessage().contains("0x9") && !e.getMessage().contains("unused"), e.getMessage());
        assertTrue(!unused.isBound());
    }

    @Test
    void finishRejectsUnboundJumpTableTargets() {
        Label a = asm.newLabel("case_a");
        asm.bind(a);
        asm.jumpTable(List.of(a, asm.newLabel("case_b")));
        IllegalStateException e = assertThrows(IllegalStateException.class, asm::finish);
        assertTrue(e.getMessage().contains("case_b"), e.getMessage());
    }

    @Test
    void finishedAssemblerCannotBeUsed() {
        asm.ret();
        asm.finish();
        assertThrows(IllegalStateException.class, asm::ret);
        assertThrows(IllegalStateException.class, () -> asm.mov(Width.QWORD, RAX, RBX));
        assertThrows(IllegalStateException.class, asm::finish);
        assertThrows(IllegalStateException.class, asm::newLabel);
    }

    @Test
    void listingIsEmptyWhenNotRequested() {
        X64Assembler quiet = new X64Assembler();
        quiet.mov(Width.QWORD, RAX, mem(RSP, 8));
        quiet.ret();
        AssembledCode code = quiet.finish();
        assertEquals(List.of(), code.listing());
        assertArrayEquals(hex("48 8b 44 24 08 c3"), code.code());
    }
}
