package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small programs run under QEMU: each check compares a computed register with the expected value
 * (materialised independently through the literal pool) and exits with the number of the first
 * failing check, or 0. They exercise the sequences the lowering will rely on.
 */
class ExecutionTest {
    private A64Assembler a;
    private Label fail;
    private int checks;

    @BeforeEach
    void start() {
        QemuRunner.assumeAvailable();
        a = new A64Assembler();
        fail = a.newLabel();
        checks = 0;
    }

    /** Fails the program unless {@code reg} equals {@code expected}; uses x9 and x10. */
    private void expect(GeneralRegister reg, long expected) {
        checks++;
        a.mov(W9, checks);
        a.ldrLiteral(X10.view(reg.is64()), expected);
        a.cmp(reg, X10.view(reg.is64()));
        a.b(Condition.NE, fail);
    }

    private int run() {
        QemuRunner.exit(a, 0);
        a.bind(fail);
        a.mov(W0, W9);
        QemuRunner.exitWithW0(a);
        return QemuRunner.run(a.finish().code());
    }

    @Test
    void movMaterialisesEveryValue() {
        Random random = new Random(42);
        List<Long> values = new ArrayList<>(List.of(0L, -1L, 1L, 0xFFFFL, 0x10000L, 0x5555555555555555L,
                0xFFFFFFFF12345678L, 0x5555123455555555L, Long.MIN_VALUE, Long.MAX_VALUE, 0x123456789ABCDEF0L));
        for (int i = 0; i < 200; i++) {
            long v = random.nextLong();
            int mode = i % 4;
            if (mode == 1) v &= 0xFFFF0000FFFFL;
            if (mode == 2) v |= 0xFFFF00000000FFFFL;
            values.add(v);
        }
        for (long v : values) {
            a.mov(X1, v);
            expect(X1, v);
            a.mov(W2, v);
            expect(W2, v & 0xFFFFFFFFL);
        }
        assertEquals(0, run());
    }

    @Test
    void popcountThroughTheVectorUnit() {
        long v = 0xF0F0_1234_0000_FFFFL;
        a.mov(X1, v);
        a.fmov(D0, X1);
        a.cnt(D0.v8b(), D0.v8b());
        a.addv(D0.b(), D0.v8b());
        a.umov(W2, D0.lane(VectorShape.B, 0));
        expect(W2, Long.bitCount(v));
        a.fmov(W3, D0.s());
        expect(W3, Long.bitCount(v));
        assertEquals(0, run());
    }

    @Test
    void integerDivisionRemainderAndBits() {
        a.mov(X1, -7);
        a.mov(X2, 2);
        a.sdiv(X3, X1, X2);
        expect(X3, -3);
        a.msub(X4, X3, X2, X1);          // remainder = x1 - x3 * x2
        expect(X4, -1);
        a.udiv(W5, W1, W2);
        expect(W5, (0xFFFFFFF9L) / 2);
        a.mov(X6, 0x0000_0100_0000_0000L);
        a.clz(X7, X6);
        expect(X7, Long.numberOfLeadingZeros(0x0000_0100_0000_0000L));
        a.rbit(X7, X6);
        a.clz(X7, X7);
        expect(X7, Long.numberOfTrailingZeros(0x0000_0100_0000_0000L));
        a.mov(X8, 0x1122334455667788L);
        a.rev(X11, X8);
        expect(X11, Long.reverseBytes(0x1122334455667788L));
        a.umulh(X12, X1, X2);
        expect(X12, Math.unsignedMultiplyHigh(-7L, 2L));
        a.smulh(X12, X1, X2);
        expect(X12, Math.multiplyHigh(-7L, 2L));
        a.ror(W13, W8, 8);
        expect(W13, Integer.rotateRight(0x55667788, 8) & 0xFFFFFFFFL);
        a.mov(W14, 40);
        a.lsl(X15, X6, X14);               // shift amount taken modulo 64
        expect(X15, 0x0000_0100_0000_0000L << 40);
        a.sxtb(X16, W8);
        expect(X16, (byte) 0x88);
        a.ubfx(X17, X8, 8, 12);
        expect(X17, (0x1122334455667788L >>> 8) & 0xFFF);
        a.cmp(X1, X2);
        a.cset(W19, Condition.LT);
        expect(W19, 1);
        a.csel(X20, X1, X2, Condition.HS);  // unsigned: -7 is huge
        expect(X20, -7);
        assertEquals(0, run());
    }

    @Test
    void floatingPoint() {
        a.movFloat(D1, Double.doubleToRawLongBits(2.5));
        a.movFloat(D2, Double.doubleToRawLongBits(Math.PI));
        a.fadd(D3, D1, D2);
        a.fmov(X1, D3);
        expect(X1, Double.doubleToRawLongBits(2.5 + Math.PI));
        a.fcvtzs(W2, D3);
        expect(W2, 5);
        a.fneg(D4, D3);
        a.fcvtzu(X3, D4);                   // saturates at 0
        expect(X3, 0);
        a.frintm(D5, D4);
        a.fcvtzs(X4, D5);
        expect(X4, (long) Math.floor(-(2.5 + Math.PI)));
        a.mov(W5, -3);
        a.scvtf(S6, W5);
        a.fcvt(D6, S6);
        a.fmov(X6, D6);
        expect(X6, Double.doubleToRawLongBits(-3.0));
        a.fsqrt(D7, D1);
        a.fmov(X7, D7);
        expect(X7, Double.doubleToRawLongBits(Math.sqrt(2.5)));
        a.movFloat(S8, Float.floatToRawIntBits(Float.NaN));
        a.fcmp(S8, S8);
        a.cset(W8, Condition.VS);            // unordered
        expect(W8, 1);
        a.fmin(D9, D1, D2);
        a.fmov(X11, D9);
        expect(X11, Double.doubleToRawLongBits(2.5));
        assertEquals(0, run());
    }

    @Test
    void framesCallsAndMemory() {
        Label function = a.newLabel();
        Label over = a.newLabel();
        a.b(over);
        // function(x0) = x0 * 3 + 1, with a frame and a spill
        a.bind(function);
        a.stp(X29, X30, Address.preIndex(SP, -32));
        a.mov(X29, SP);
        a.str(X0, Address.offset(SP, 16));
        a.ldr(X1, Address.offset(X29, 16));
        a.add(X0, X1, X1, Shift.LSL, 1);
        a.add(X0, X0, 1);
        a.ldp(X29, X30, Address.postIndex(SP, 32));
        a.ret();
        a.bind(over);
        a.mov(X0, 14);
        a.bl(function);
        expect(X0, 43);
        a.adr(X5, function);
        a.mov(X0, 1);
        a.blr(X5);
        expect(X0, 4);
        // a byte array on the stack, indexed with a zero-extended 32-bit index
        a.sub(SP, SP, 64);
        a.mov(X6, 0x8877665544332211L);
        a.str(X6, Address.offset(SP, 8));
        a.mov(W7, 10);
        a.ldrb(W8, Address.index(SP, W7, Extend.UXTW, 0));
        expect(W8, 0x33);
        a.ldrsh(X8, Address.offset(SP, 14));
        expect(X8, (short) 0x8877);
        a.mov(W7, 2);
        a.ldr(W8, Address.index(SP, W7, Extend.UXTW, 2));
        expect(W8, 0x44332211L);
        a.add(SP, SP, 64);
        assertEquals(0, run());
    }
}
