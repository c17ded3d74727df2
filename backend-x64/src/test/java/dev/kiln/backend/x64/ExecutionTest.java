package dev.kiln.backend.x64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.kiln.backend.x64.AluOp.ADD;
import static dev.kiln.backend.x64.AluOp.CMP;
import static dev.kiln.backend.x64.AluOp.SUB;
import static dev.kiln.backend.x64.AluOp.XOR;
import static dev.kiln.backend.x64.Gpr.*;
import static dev.kiln.backend.x64.MemoryOperand.mem;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.MemoryOperand.ripSymbol;
import static dev.kiln.backend.x64.Width.BYTE;
import static dev.kiln.backend.x64.Width.DWORD;
import static dev.kiln.backend.x64.Width.QWORD;
import static dev.kiln.backend.x64.Width.WORD;
import static dev.kiln.backend.x64.Xmm.XMM0;
import static dev.kiln.backend.x64.Xmm.XMM1;
import static dev.kiln.backend.x64.Xmm.XMM9;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs assembled functions on the host CPU through FFM (System V calling convention): the encodings must
 * mean what the API says, not only disassemble to it.
 */
@EnabledOnOs(OS.LINUX)
@EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
class ExecutionTest {
    private final List<NativeCode> loaded = new ArrayList<>();

    @AfterEach
    void unload() {
        for (NativeCode c : loaded) {
            c.close();
        }
    }

    private NativeCode load(AssembledCode code, Map<String, Integer> symbols, Map<String, Long> absolute)
            throws Throwable {
        Objdump.assertListingMatches(code);
        NativeCode c = new NativeCode(code, symbols, absolute);
        loaded.add(c);
        return c;
    }

    /** Assembles {@code body} as one function starting at offset 0. */
    private MethodHandle function(FunctionDescriptor descriptor, Consumer<X64Assembler> body) throws Throwable {
        X64Assembler asm = new X64Assembler(true);
        body.accept(asm);
        return load(asm.finish(), Map.of(), Map.of()).function(0, descriptor);
    }

    private static final FunctionDescriptor LONG_LONG_LONG = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor LONG_LONG = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);
    private static final long[] SAMPLES = {0, 1, -1, 7, -7, 100, 0x7FFFFFFF, 0x80000000L, -0x80000000L,
            Long.MAX_VALUE, Long.MIN_VALUE + 1, 0x123456789ABCDEFL};

    @Test
    void integerArithmetic() throws Throwable {
        MethodHandle f = function(LONG_LONG_LONG, a -> {
            a.mov(QWORD, RAX, RDI);
            a.alu(ADD, QWORD, RAX, RSI);
            a.imul(QWORD, RAX, RAX, 3);
            a.mov(QWORD, RCX, RDI);
            a.alu(XOR, QWORD, RCX, RSI);
            a.alu(SUB, QWORD, RAX, RCX);
            a.shift(ShiftOp.ROL, QWORD, RAX, 5);
            a.unary(UnaryOp.NOT, QWORD, RAX);
            a.ret();
        });
        for (long x : SAMPLES) {
            for (long y : SAMPLES) {
                assertEquals(~Long.rotateLeft((x + y) * 3 - (x ^ y), 5), (long) f.invokeExact(x, y));
            }
        }
    }

    @Test
    void divisionAndRemainder() throws Throwable {
        MethodHandle div32 = function(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), a -> {
            a.mov(DWORD, RAX, RDI);
            a.cdq();
            a.mulDiv(MulDivOp.IDIV, DWORD, RSI);
            a.ret();
        });
        MethodHandle rem64 = function(LONG_LONG_LONG, a -> {
            a.mov(QWORD, RAX, RDI);
            a.cqo();
            a.mulDiv(MulDivOp.IDIV, QWORD, RSI);
            a.mov(QWORD, RAX, RDX);
            a.ret();
        });
        MethodHandle udiv64 = function(LONG_LONG_LONG, a -> {
            a.mov(QWORD, RAX, RDI);
            a.alu(XOR, DWORD, RDX, RDX);
            a.mulDiv(MulDivOp.DIV, QWORD, RSI);
            a.ret();
        });
        for (long x : SAMPLES) {
            for (long y : SAMPLES) {
                // A divide error (#DE: zero divisor, or MIN_VALUE / -1) would end the JVM.
                if ((int) y != 0 && (int) y != -1) {
                    assertEquals((int) x / (int) y, (int) div32.invokeExact((int) x, (int) y));
                }
                if (y == 0 || y == -1) {
                    continue;
                }
                assertEquals(x % y, (long) rem64.invokeExact(x, y));
                assertEquals(Long.divideUnsigned(x, y), (long) udiv64.invokeExact(x, y));
            }
        }
    }

    @Test
    void loopWithForwardAndBackwardBranches() throws Throwable {
        MethodHandle sum = function(LONG_LONG, a -> {
            Label done = a.newLabel("done");
            Label top = a.newLabel("top");
            a.alu(XOR, DWORD, RAX, RAX);
            a.test(QWORD, RDI, RDI);
            a.jcc(Condition.LE, done);
            a.bind(top);
            a.alu(ADD, QWORD, RAX, RDI);
            a.alu(SUB, QWORD, RDI, 1);
            a.jcc(Condition.NE, top);
            a.bind(done);
            a.ret();
        });
        assertEquals(0L, (long) sum.invokeExact(-5L));
        assertEquals(0L, (long) sum.invokeExact(0L));
        assertEquals(5050L, (long) sum.invokeExact(100L));
    }

    @Test
    void conditionsSetccAndCmov() throws Throwable {
        MethodHandle max = function(LONG_LONG_LONG, a -> {
            a.mov(QWORD, RAX, RDI);
            a.alu(CMP, QWORD, RDI, RSI);
            a.cmov(Condition.L, QWORD, RAX, RSI);
            a.ret();
        });
        MethodHandle lessSigned = function(LONG_LONG_LONG, a -> {
            a.alu(CMP, QWORD, RDI, RSI);
            a.mov(QWORD, RDX, -1L);       // garbage in DH: setl sil must not touch it
            a.setcc(Condition.L, RSI);
            a.movzx(DWORD, RAX, BYTE, RSI);
            a.ret();
        });
        MethodHandle lessUnsigned = function(LONG_LONG_LONG, a -> {
            a.alu(XOR, DWORD, RAX, RAX);
            a.alu(CMP, QWORD, RDI, RSI);
            a.setcc(Condition.B, RAX);
            a.ret();
        });
        for (long x : SAMPLES) {
            for (long y : SAMPLES) {
                assertEquals(Math.max(x, y), (long) max.invokeExact(x, y));
                assertEquals(x < y ? 1L : 0L, (long) lessSigned.invokeExact(x, y));
                assertEquals(Long.compareUnsigned(x, y) < 0 ? 1L : 0L, (long) lessUnsigned.invokeExact(x, y));
            }
        }
    }

    @Test
    void floatArithmeticWithPoolConstants() throws Throwable {
        MethodHandle affine = function(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE), a -> {
            a.sse(SseOp.MULSD, XMM0, rip(a.constant64(Double.doubleToRawLongBits(2.5))));
            a.movsd(XMM9, rip(a.constant64(Double.doubleToRawLongBits(1.0))));
            a.sse(SseOp.ADDSD, XMM0, XMM9);
            a.ret();
        });
        MethodHandle abs = function(FunctionDescriptor.of(JAVA_FLOAT, JAVA_FLOAT), a -> {
            a.sse(SseOp.ANDPS, XMM0, rip(a.constant128(0x7FFFFFFF7FFFFFFFL, 0x7FFFFFFF7FFFFFFFL)));
            a.ret();
        });
        MethodHandle neg = function(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE), a -> {
            a.constant32(12345);   // misalign the 8-byte tail of the pool on purpose
            a.sse(SseOp.XORPD, XMM0, rip(a.constant128(Long.MIN_VALUE, 0)));
            a.ret();
        });
        MethodHandle sqrtMin = function(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE), a -> {
            a.sse(SseOp.SQRTSD, XMM0, XMM0);
            a.sse(SseOp.MINSD, XMM0, XMM1);
            a.ret();
        });
        for (double x : new double[] {0, -0.0, 1, -3.75, 1e300, Double.MIN_VALUE}) {
            assertEquals(x * 2.5 + 1.0, (double) affine.invokeExact(x));
            assertEquals(Math.abs((float) x), (float) abs.invokeExact((float) x));
            assertEquals(-x, (double) neg.invokeExact(x));
            assertEquals(Math.min(Math.sqrt(Math.abs(x)), 2.0), (double) sqrtMin.invokeExact(Math.abs(x), 2.0));
        }
    }

    @Test
    void conversionsAndRounding() throws Throwable {
        assumeTrue(cpuHas("sse4_1"));
        MethodHandle trunc = function(FunctionDescriptor.of(JAVA_LONG, JAVA_DOUBLE), a -> {
            a.cvttsd2si(QWORD, RAX, XMM0);
            a.ret();
        });
        MethodHandle toDouble = function(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_INT), a -> {
            a.cvtsi2sd(DWORD, XMM0, RDI);
            a.ret();
        });
        MethodHandle floatBits = function(FunctionDescriptor.of(JAVA_INT, JAVA_FLOAT), a -> {
            a.sse(SseOp.CVTSS2SD, XMM1, XMM0);     // float -> double -> float is exact
            a.sse(SseOp.CVTSD2SS, XMM0, XMM1);
            a.movd(RAX, XMM0);
            a.ret();
        });
        List<MethodHandle> rounds = new ArrayList<>();
        for (RoundingMode mode : RoundingMode.values()) {
            rounds.add(function(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE), a -> {
                a.round(SseOp.ROUNDSD, XMM0, XMM0, mode);
                a.ret();
            }));
        }
        for (double x : new double[] {0, -0.5, 0.5, 1.5, 2.5, -2.5, 3.7, -3.7, 1e10, -1e18}) {
            assertEquals((long) x, (long) trunc.invokeExact(x));
            assertEquals((double) (int) x, (double) toDouble.invokeExact((int) x));
            assertEquals(Float.floatToRawIntBits((float) x), (int) floatBits.invokeExact((float) x));
            assertEquals(Math.rint(x), (double) rounds.get(0).invokeExact(x));
            assertEquals(Math.floor(x), (double) rounds.get(1).invokeExact(x));
            assertEquals(Math.ceil(x), (double) rounds.get(2).invokeExact(x));
            assertEquals(x < 0 ? Math.ceil(x) : Math.floor(x), (double) rounds.get(3).invokeExact(x));
        }
        assertEquals(Long.MIN_VALUE, (long) trunc.invokeExact(Double.NaN));
    }

    @Test
    void jumpTableDispatch() throws Throwable {
        MethodHandle sw = function(LONG_LONG, a -> {
            List<Label> cases = List.of(a.newLabel("c0"), a.newLabel("c1"), a.newLabel("c2"), a.newLabel("c3"));
            Label otherwise = a.newLabel("default");
            Label table = a.jumpTable(cases);
            a.alu(CMP, QWORD, RDI, 3);
            a.jcc(Condition.A, otherwise);
            a.lea(QWORD, R11, rip(table));
            a.movsx(QWORD, RAX, DWORD, mem(R11, RDI, 4, 0));
            a.alu(ADD, QWORD, RAX, R11);
            a.jmp(RAX);
            long[] values = {10, 20, -30, 0x1122334455667788L};
            for (int i = 0; i < 4; i++) {
                a.bind(cases.get(i));
                a.mov(QWORD, RAX, values[i]);
                a.ret();
            }
            a.bind(otherwise);
            a.mov(QWORD, RAX, -1);
            a.ret();
        });
        assertEquals(10L, (long) sw.invokeExact(0L));
        assertEquals(20L, (long) sw.invokeExact(1L));
        assertEquals(-30L, (long) sw.invokeExact(2L));
        assertEquals(0x1122334455667788L, (long) sw.invokeExact(3L));
        assertEquals(-1L, (long) sw.invokeExact(4L));
        assertEquals(-1L, (long) sw.invokeExact(-1L));
    }

    @Test
    void callsThroughRelocationsLabelsAndRegisters() throws Throwable {
        X64Assembler a = new X64Assembler(true);
        Label viaPlt = a.newLabel();
        Label viaLabel = a.newLabel();
        Label viaAbsolute = a.newLabel();
        Label addressOf = a.newLabel();
        Label callee = a.newLabel("double_it");
        a.bind(viaPlt);                                  // f(x) = g(x) + 1, via R_X86_64_PLT32
        a.alu(SUB, QWORD, RSP, 8);
        a.call("double_it");
        a.alu(ADD, QWORD, RAX, 1);
        a.alu(ADD, QWORD, RSP, 8);
        a.ret();
        a.align(16);
        a.bind(viaLabel);                                // f(x) = g(x) + 2, via call rel32 to a label
        a.push(RBX);
        a.call(callee);
        a.alu(ADD, QWORD, RAX, 2);
        a.pop(RBX);
        a.ret();
        a.bind(viaAbsolute);                             // f(x) = g(x) + 3, via R_X86_64_64 and call r11
        a.push(RBP);
        a.movabs(R11, "double_it", 0);
        a.call(R11);
        a.alu(ADD, QWORD, RAX, 3);
        a.pop(RBP);
        a.ret();
        a.bind(addressOf);                               // &g, via R_X86_64_PC32
        a.lea(QWORD, RAX, ripSymbol("double_it", 0));
        a.ret();
        a.bind(callee);
        a.lea(QWORD, RAX, mem(RDI, RDI, 1));
        a.ret();
        AssembledCode code = a.finish();
        NativeCode c = load(code, Map.of("double_it", callee.offset()), Map.of());
        assertEquals(43L, (long) c.function(viaPlt.offset(), LONG_LONG).invokeExact(21L));
        assertEquals(44L, (long) c.function(viaLabel.offset(), LONG_LONG).invokeExact(21L));
        assertEquals(45L, (long) c.function(viaAbsolute.offset(), LONG_LONG).invokeExact(21L));
        assertEquals(c.address() + callee.offset(),
                (long) c.function(addressOf.offset(), FunctionDescriptor.of(JAVA_LONG)).invokeExact());
    }

    @Test
    void memoryOperandsOfEveryShape() throws Throwable {
        MethodHandle fill = function(FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG), a -> {
            a.push(R12);
            a.push(R13);
            a.push(RBP);
            a.mov(QWORD, mem(RDI), 0x11);                          // [base]
            a.mov(DWORD, mem(RDI, 8), -1);                         // [base+disp8]
            a.mov(DWORD, RCX, 2);
            a.mov(QWORD, mem(RDI, RCX, 8, 0), RCX);                // [base+index*8]
            a.mov(WORD, mem(RDI, 24), 0xBEEF);
            a.mov(BYTE, mem(RDI, 26), RSI);                        // sil: needs REX
            a.mov(QWORD, R12, RDI);
            a.alu(ADD, QWORD, R12, 32);
            a.mov(QWORD, mem(R12), 0x44);                          // [r12]: SIB
            a.lea(QWORD, R13, mem(RDI, 40));
            a.mov(QWORD, mem(R13), 0x55);                          // [r13]: disp8 0
            a.alu(SUB, QWORD, RSP, 16);
            a.mov(QWORD, mem(RSP, 8), 0x66);                       // [rsp+8]: SIB
            a.mov(QWORD, RAX, mem(RSP, 8));
            a.mov(QWORD, mem(RDI, 48), RAX);
            a.alu(ADD, QWORD, RSP, 16);
            a.lea(QWORD, RBP, mem(RDI, 56));
            a.mov(QWORD, mem(RBP), 0x77);                          // [rbp]: disp8 0
            a.mov(QWORD, RAX, -8);
            a.alu(ADD, QWORD, mem(RBP, RAX, 1, 8), 0x100);         // [rbp+rax*1+8] == slot 7
            a.pop(RBP);
            a.pop(R13);
            a.pop(R12);
            a.ret();
        });
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 16);
            fill.invokeExact(m, 0x1234_5678_9ABC_DEF0L);
            assertEquals(0x11L, m.get(JAVA_LONG, 0));
            assertEquals(-1, m.get(JAVA_INT, 8));
            assertEquals(2L, m.get(JAVA_LONG, 16));
            assertEquals((short) 0xBEEF, m.get(JAVA_SHORT, 24));
            assertEquals((byte) 0xF0, m.get(JAVA_BYTE, 26));
            assertEquals(0x44L, m.get(JAVA_LONG, 32));
            assertEquals(0x55L, m.get(JAVA_LONG, 40));
            assertEquals(0x66L, m.get(JAVA_LONG, 48));
            assertEquals(0x177L, m.get(JAVA_LONG, 56));
        }
    }

    @Test
    void bitCounts() throws Throwable {
        assumeTrue(cpuHas("popcnt") && cpuHas("abm") && cpuHas("bmi1"));
        List<MethodHandle> ops = new ArrayList<>();
        for (BitCountOp op : List.of(BitCountOp.POPCNT, BitCountOp.LZCNT, BitCountOp.TZCNT)) {
            ops.add(function(LONG_LONG, a -> {
                a.bitCount(op, QWORD, RAX, RDI);
                a.ret();
            }));
            ops.add(function(LONG_LONG, a -> {
                a.bitCount(op, DWORD, RAX, RDI);
                a.ret();
            }));
        }
        for (long x : SAMPLES) {
            assertEquals(Long.bitCount(x), (long) ops.get(0).invokeExact(x));
            assertEquals(Integer.bitCount((int) x), (long) ops.get(1).invokeExact(x));
            assertEquals(Long.numberOfLeadingZeros(x), (long) ops.get(2).invokeExact(x));
            assertEquals(Integer.numberOfLeadingZeros((int) x), (long) ops.get(3).invokeExact(x));
            assertEquals(Long.numberOfTrailingZeros(x), (long) ops.get(4).invokeExact(x));
            assertEquals(Integer.numberOfTrailingZeros((int) x), (long) ops.get(5).invokeExact(x));
        }
    }

    private static boolean cpuHas(String flag) {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\bflags\\s*:[^\\n]*\\b" + flag + "\\b.*");
        } catch (IOException e) {
            return false;
        }
    }
}
