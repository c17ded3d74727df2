package dev.kiln.backend.x64;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.Xmm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-function constant pool and jump tables. */
class ConstantPoolTest {
    private final X64Assembler asm = new X64Assembler(true);

    private static ByteBuffer le(byte[] code) {
        return ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void constantsAreDeduplicatedAlignedAndPlacedAfterTheCode() {
        Label one = asm.constant64(Double.doubleToRawLongBits(1.0));
        Label half = asm.constant32(Float.floatToRawIntBits(0.5f));
        Label mask = asm.constant128(0x7FFFFFFFFFFFFFFFL, 0x7FFFFFFFFFFFFFFFL);
        assertSame(one, asm.constant64(Double.doubleToRawLongBits(1.0)));
        assertSame(half, asm.constant32(Float.floatToRawIntBits(0.5f)));
        assertSame(mask, asm.constant128(0x7FFFFFFFFFFFFFFFL, 0x7FFFFFFFFFFFFFFFL));
        assertNotSame(one, asm.constant64(Double.doubleToRawLongBits(2.0)));
        asm.movsd(XMM0, rip(one));
        asm.movss(XMM9, rip(half));
        asm.sse(SseOp.ANDPD, XMM0, rip(mask));
        asm.sse(SseOp.XORPS, XMM15, rip(mask, 0));
        asm.ret();
        int end = asm.offset();
        assertThrows(IllegalStateException.class, one::offset);
        assertThrows(IllegalArgumentException.class, () -> asm.bind(one));
        AssembledCode code = asm.finish();

        assertEquals(0, code.constantPoolOffset() % 16);
        assertTrue(code.constantPoolOffset() >= 4 * 8 + 1);
        assertEquals(code.constantPoolOffset(), mask.offset(), "16-byte constants come first");
        assertEquals(0, one.offset() % 8);
        assertEquals(0, half.offset() % 4);
        assertEquals(code.constantPoolOffset() + 16 + 8 + 8 + 4, code.code().length);
        ByteBuffer b = le(code.code());
        assertEquals(Double.doubleToRawLongBits(1.0), b.getLong(one.offset()));
        assertEquals(Float.floatToRawIntBits(0.5f), b.getInt(half.offset()));
        assertEquals(0x7FFFFFFFFFFFFFFFL, b.getLong(mask.offset()));
        assertEquals(0x7FFFFFFFFFFFFFFFL, b.getLong(mask.offset() + 8));
        for (int i = end; i < code.constantPoolOffset(); i++) {
            assertEquals((byte) 0xCC, code.code()[i], "int3 padding");
        }
        Objdump.assertListingMatches(code);
        assertTrue(code.listing().stream().anyMatch(l -> l.contains(".quad  0x3ff0000000000000")), code.listing().toString());
        assertTrue(code.listing().stream().anyMatch(l -> l.contains(".long  0x3f000000")), code.listing().toString());
    }

    @Test
    void noPoolMeansNoPadding() {
        asm.ret();
        AssembledCode code = asm.finish();
        assertEquals(1, code.code().length);
        assertEquals(1, code.constantPoolOffset());
    }

    @Test
    void jumpTableHoldsOffsetsRelativeToItsStart() {
        Label a = asm.newLabel("a");
        Label b = asm.newLabel("b");
        Label c = asm.newLabel("c");
        Label table = asm.jumpTable(List.of(a, b, c, a));
        asm.lea(Width.QWORD, R11, rip(table));
        asm.movsx(Width.QWORD, RAX, Width.DWORD, mem(R11, RAX, 4, 0));
        asm.alu(AluOp.ADD, Width.QWORD, RAX, R11);
        asm.jmp(RAX);
        asm.bind(a);
        asm.ret();
        asm.bind(b);
        asm.ud2();
        asm.bind(c);
        asm.int3();
        AssembledCode code = asm.finish();
        ByteBuffer buf = le(code.code());
        int t = table.offset();
        assertEquals(0, t % 4);
        assertEquals(a.offset() - t, buf.getInt(t));
        assertEquals(b.offset() - t, buf.getInt(t + 4));
        assertEquals(c.offset() - t, buf.getInt(t + 8));
        assertEquals(a.offset() - t, buf.getInt(t + 12));
        assertEquals(t + 16, code.code().length);
        Objdump.assertListingMatches(code);
    }

    @Test
    void jumpTablesComeAfterAlignedConstants() {
        Label target = asm.newLabel();
        asm.bind(target);
        asm.ret();
        Label table = asm.jumpTable(List.of(target));
        Label c4 = asm.constant32(7);
        Label c16 = asm.constant128(1, 2);
        Label c8 = asm.constant64(3);
        AssembledCode code = asm.finish();
        assertTrue(c16.offset() < c8.offset() && c8.offset() < c4.offset() && c4.offset() < table.offset());
        assertEquals(0, c16.offset() % 16);
        assertEquals(0, c8.offset() % 8);
        assertEquals(-table.offset(), le(code.code()).getInt(table.offset()));
    }
}
