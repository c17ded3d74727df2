package dev.kiln.backend.x64;

import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.ripSymbol;
import static dev.kiln.backend.x64.X64RelocationModel.R_X86_64_64;
import static dev.kiln.backend.x64.X64RelocationModel.R_X86_64_PC32;
import static dev.kiln.backend.x64.X64RelocationModel.R_X86_64_PLT32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Applying relocations, checked byte-wise and by disassembling the placed code. */
class X64RelocationModelTest {
    private final X64RelocationModel model = X64RelocationModel.INSTANCE;

    @Test
    void describesItself() {
        assertEquals(Target.X86_64, model.target());
        assertEquals("R_X86_64_PLT32", model.name(4));
        assertEquals("R_X86_64_PC32", model.name(2));
        assertEquals("R_X86_64_64", model.name(1));
        assertEquals("R_X86_64_32S", model.name(11));
        assertTrue(model.supports(1) && model.supports(2) && model.supports(4));
        assertFalse(model.supports(0) || model.supports(3) || model.supports(10) || model.supports(11));
    }

    @Test
    void appliedCodeDisassemblesToTheTargets() {
        X64Assembler asm = new X64Assembler();
        asm.call("callee");
        asm.lea(Width.QWORD, RAX, ripSymbol("table", 0x20));
        asm.alu(AluOp.CMP, Width.DWORD, ripSymbol("counter"), 1000);
        asm.movabs(R10, "helper", 8);
        asm.jmp("tail");
        AssembledCode code = asm.finish();
        byte[] bytes = code.code();
        long base = 0x7f0000401000L;
        Map<String, Long> symbols = Map.of("callee", 0x7f0000500000L, "table", 0x7f00003ff000L,
                "counter", 0x7f0000401800L, "helper", 0x123456789abcL, "tail", base);
        for (Relocation r : code.relocations()) {
            model.apply(bytes, r.offset(), r.type(), symbols.get(r.symbol()), r.addend(), base + r.offset());
        }
        List<String> text = Objdump.disassemble(bytes, bytes.length, base).stream()
                .map(l -> Objdump.normalize(l.text())).toList();
        assertEquals(List.of(
                "call 0x7f0000500000",
                "lea rax,[rip+0xffffffffffffe014] # 0x7f00003ff020",
                "cmp DWORD PTR [rip+0x7ea],0x3e8 # 0x7f0000401800",
                "movabs r10,0x123456789ac4",
                "jmp 0x7f0000401000"), text);
    }

    @Test
    void pcRelativeFormulaAndLimits() {
        byte[] code = new byte[8];
        model.apply(code, 2, R_X86_64_PC32, 0x1000, -4, 0x2000);
        assertEquals(0x1000 - 4 - 0x2000, ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).getInt(2));
        model.apply(code, 0, R_X86_64_PLT32, Integer.MAX_VALUE, 0, 0);
        assertEquals(Integer.MAX_VALUE, ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        model.apply(code, 0, R_X86_64_PLT32, 0, 0, 1L << 31);
        assertEquals(Integer.MIN_VALUE, ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertThrows(IllegalArgumentException.class,
                () -> model.apply(code, 0, R_X86_64_PLT32, (1L << 31) + 4, -4, 0));
        assertThrows(IllegalArgumentException.class,
                () -> model.apply(code, 0, R_X86_64_PC32, 0, -4, (1L << 31) - 3));
        assertThrows(IllegalArgumentException.class,
                () -> model.apply(code, 0, R_X86_64_PC32, 0x7f0000000000L, 0, 0x10000));
        assertThrows(IllegalArgumentException.class,
                () -> model.apply(code, 0, R_X86_64_PC32, Long.MAX_VALUE, 1, 0));
    }

    @Test
    void absolute64() {
        byte[] code = new byte[10];
        model.apply(code, 2, R_X86_64_64, 0xFFFF800012345678L, 0x10, 0);
        assertEquals(0xFFFF800012345688L, ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).getLong(2));
    }

    @Test
    void rejectsUnsupportedTypesAndBadOffsets() {
        byte[] code = new byte[8];
        assertThrows(IllegalArgumentException.class, () -> model.apply(code, 0, 10, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> model.apply(code, 5, R_X86_64_PC32, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> model.apply(code, -1, R_X86_64_PC32, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> model.apply(code, 1, R_X86_64_64, 0, 0, 0));
        model.apply(code, 4, R_X86_64_PC32, 0, 0, 0);
        model.apply(code, 0, R_X86_64_64, 0, 0, 0);
    }
}
