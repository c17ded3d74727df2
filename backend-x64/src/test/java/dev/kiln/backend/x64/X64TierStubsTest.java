package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.code.Backend;
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
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the native-to-Java adapter ({@link X64TierStubs#interpreterEntry}) on the CPU with a probe
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

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void adapterPassesArgumentsOnAnAlignedStack(int params) throws Throwable {
        NativeCode probe = load(probe(params), Map.of());
        FuncType type = new FuncType(Collections.nCopies(params, ValType.I64).toArray(ValType[]::new), new ValType[] {ValType.I64});
        MachineCode entry = X64TierStubs.interpreterEntry(type, "entry", probe.address());
        NativeCode code = load(new AssembledCode(entry.code(), entry.code().length, entry.relocations(), List.of()),
                Map.of(Backend.TRAP_SYMBOL, probe.address()));
        List<MemoryLayout> args = new ArrayList<>();
        args.add(JAVA_LONG); // vmctx
        for (int i = 0; i < params; i++) args.add(JAVA_LONG);
        MethodHandle h = code.function(0, FunctionDescriptor.of(JAVA_LONG, args.toArray(MemoryLayout[]::new)));
        Object[] values = new Object[params + 1];
        values[0] = 0L;
        long expected = 0;
        for (int i = 0; i < params; i++) {
            values[i + 1] = 1L << (3 * i);
            expected += 1L << (3 * i);
        }
        assertEquals(expected, (long) h.invokeWithArguments(values));
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
        for (int i = 0; i < params; i++) a.alu(AluOp.ADD, Width.QWORD, Gpr.R11, mem(Gpr.RDX, 8 * i));
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
