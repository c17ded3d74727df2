package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.ir.code.MachineCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.kiln.backend.x64.MemoryOperand.mem;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the native-to-Java adapter ({@link X64TierStubs#interpreterEntry}) on the CPU, entered from
 * Java through the entry trampoline as native code would reach it, with a probe
 * in place of the Java upcall: the probe must see every argument in the buffer and a 16-byte
 * aligned stack (an FFM upcall entered with a misaligned stack can crash the JVM).
 */
@EnabledOnOs(OS.LINUX)
@EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
class X64TierStubsTest {
    private final List<NativeCode> loaded = new ArrayList<>();

    @AfterEach
    void unload() {
        loaded.forEach(NativeCode::close);
    }

    /**
     * Java → entry trampoline (C convention → internal) → adapter (internal → buffered upcall) → probe:
     * the probe sees every argument in its 16-byte buffer slot and a 16-byte aligned stack, and the
     * adapter pops the stack arguments it was passed (the trampoline's frame is intact afterwards).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12})
    void adapterPassesArgumentsOnAnAlignedStack(int params) throws Throwable {
        NativeCode probe = load(probe(params), Map.of());
        FuncType type = new FuncType(Collections.nCopies(params, ValType.I64).toArray(ValType[]::new), new ValType[] {ValType.I64});
        MachineCode adapter = X64TierStubs.interpreterEntry(type, "adapter", probe.address());
        NativeCode code = load(new AssembledCode(adapter.code(), adapter.code().length, adapter.relocations(), List.of()),
                Map.of(Backend.TRAP_SYMBOL, probe.address()));
        MachineCode entry = X64RuntimeStubs.entryTrampoline(type, "entry");
        NativeCode trampoline = load(new AssembledCode(entry.code(), entry.code().length, entry.relocations(), List.of()), Map.of());
        MethodHandle h = trampoline.function(0, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ExecutionStateLayout.SIZE, 16);
            MemorySegment vmctx = arena.allocate(VmContextLayout.SIZE, 16);
            vmctx.set(JAVA_LONG, VmContextLayout.STATE, state.address());
            MemorySegment buffer = arena.allocate(ArgumentPlaces.bufferBytes(Math.max(1, params)), 16);
            long expected = 0;
            for (int i = 0; i < params; i++) {
                buffer.set(JAVA_LONG, ArgumentPlaces.bufferOffset(i), 1L << (3 * i));
                expected += 1L << (3 * i);
            }
            int status = (int) h.invokeExact(vmctx.address(), code.address(), buffer.address(), 0L);
            assertEquals(0, status);
            assertEquals(expected, buffer.get(JAVA_LONG, 0));
        }
    }

    @Test
    void eachCallStubPassesItsIndexAndJumpsThroughItsSlot() throws Throwable {
        // target: returns eax (the index the stub loaded) + 1000 * rdi (an argument passed through untouched)
        X64Assembler a = new X64Assembler(false);
        a.imul(Width.QWORD, Gpr.R11, Gpr.RDI, 1000);
        a.alu(AluOp.ADD, Width.QWORD, Gpr.RAX, Gpr.R11);
        a.ret();
        NativeCode target = load(a.finish(), Map.of());
        int first = 3, count = 40;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(8L * (first + count), 8);
            for (int f = first; f < first + count; f++) slots.setAtIndex(JAVA_LONG, f, target.address());
            MachineCode stubs = X64TierStubs.callStubs(first, count, slots.address());
            NativeCode code = load(new AssembledCode(stubs.code(), stubs.code().length, stubs.relocations(), List.of()), Map.of());
            for (int k = 0; k < count; k++) {
                MethodHandle h = code.function(k * X64TierStubs.CALL_STUB_STRIDE, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
                assertEquals(first + k + 1000L * k, (long) h.invokeExact((long) k));
            }
        }
    }

    /** {@code int probe(vmctx, index, buffer)}: buffer[0] = sum of buffer[0..n) + 1000000 * (misalignment of rsp). */
    private static AssembledCode probe(int params) {
        X64Assembler a = new X64Assembler(false);
        a.lea(Width.QWORD, Gpr.R11, mem(Gpr.RSP, 8));
        a.alu(AluOp.AND, Width.QWORD, Gpr.R11, 15);
        a.imul(Width.QWORD, Gpr.R11, Gpr.R11, 1_000_000);
        for (int i = 0; i < params; i++) a.alu(AluOp.ADD, Width.QWORD, Gpr.R11, mem(Gpr.RDX, ArgumentPlaces.bufferOffset(i)));
        a.mov(Width.QWORD, mem(Gpr.RDX, 0), Gpr.R11);
        a.alu(AluOp.XOR, Width.DWORD, Gpr.RAX, Gpr.RAX);
        a.ret();
        return a.finish();
    }

    private NativeCode load(AssembledCode code, Map<String, Long> absolute) throws Throwable {
        NativeCode c = new NativeCode(code, Map.of(), absolute);
        loaded.add(c);
        return c;
    }
}
