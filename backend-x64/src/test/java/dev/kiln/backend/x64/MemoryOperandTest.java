package dev.kiln.backend.x64;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.memAbsolute;
import static dev.kiln.backend.x64.MemoryOperand.memIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ModRM/SIB/displacement encodings checked against hand-assembled bytes (from the Intel SDM tables), so the
 * special cases do not rely on objdump alone.
 */
class MemoryOperandTest {
    private static String encode(MemoryOperand m) {
        X64Assembler asm = new X64Assembler();
        asm.mov(Width.QWORD, RAX, m);       // 48/4x 8b ModRM...
        return HexFormat.of().formatHex(asm.finish().code());
    }

    @Test
    void specialBasesAndDisplacements() {
        assertEquals("488b00", encode(mem(RAX)));
        assertEquals("488b0424", encode(mem(RSP)));              // RSP base needs a SIB
        assertEquals("498b0424", encode(mem(R12)));              // so does R12
        assertEquals("488b4500", encode(mem(RBP)));              // RBP base needs a displacement
        assertEquals("498b4500", encode(mem(R13)));              // so does R13
        assertEquals("488b4008", encode(mem(RAX, 8)));
        assertEquals("488b40f8", encode(mem(RAX, -8)));
        assertEquals("488b407f", encode(mem(RAX, 127)));
        assertEquals("488b4080", encode(mem(RAX, -128)));
        assertEquals("488b8080000000", encode(mem(RAX, 128)));
        assertEquals("488b807fffffff", encode(mem(RAX, -129)));
        assertEquals("488b442410", encode(mem(RSP, 16)));
        assertEquals("498b842400010000", encode(mem(R12, 256)));
    }

    @Test
    void indexedForms() {
        assertEquals("488b0418", encode(mem(RAX, RBX, 1)));
        assertEquals("4a8b04a0", encode(mem(RAX, R12, 4)));       // R12 is a valid index (REX.X)
        assertEquals("4b8b44ed00", encode(mem(R13, R13, 8)));     // R13 base: disp8 0
        assertEquals("488b44450c", encode(mem(RBP, RAX, 2, 12)));
        assertEquals("488b049d00000000", encode(memIndex(RBX, 4, 0)));
        assertEquals("4a8b04e5f0ffffff", encode(memIndex(R12, 8, -16)));
        assertEquals("488b042510000000", encode(memAbsolute(16)));
    }

    @Test
    void invalidShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> mem(RAX, RSP, 1));
        assertThrows(IllegalArgumentException.class, () -> mem(RAX, RBX, 3));
        assertThrows(IllegalArgumentException.class, () -> new MemoryOperand.Address(RAX, null, 2, 0));
        assertThrows(NullPointerException.class, () -> mem(null));
        assertThrows(NullPointerException.class, () -> MemoryOperand.rip(null));
    }
}
