package dev.kiln.backend.aarch64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the tiering stubs under QEMU: a driver calls a function's call stub (as compiled code calls a
 * function that is not bound: the stub jumps through the function's slot, which holds the
 * interpreter entry of its type) or an adapter thunk (as it calls a host function); the adapter's
 * upcall is a probe standing in for Java: the probe checks the VMContext, the index and a 16-byte
 * aligned stack, sums the argument buffer into the result, or reports a trap, which must reach the
 * trap routine. Parameters of every kind: registers, the stack, i32 arguments with garbage in their
 * upper halves, floats.
 */
class A64TierStubsTest {
    private static final long VMCTX = 0x123;
    private static final int INDEX = 77;
    private static final int TRAP_INDEX = 78;
    private static final int EXIT_TRAPPED = 42;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 7, 8, 11})
    void integerArgumentsReachTheBufferAndTheResultComesBack(int params) {
        QemuRunner.assumeAvailable();
        List<ValType> types = new ArrayList<>();
        for (int i = 0; i < params; i++) types.add(i % 3 == 1 ? ValType.I32 : ValType.I64);
        assertEquals(0, run(types, ValType.I64, INDEX, false), QemuRunner.lastOutput);
        assertEquals(0, run(types, ValType.I64, INDEX, true), QemuRunner.lastOutput);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 10})
    void floatArgumentsAndResult(int params) {
        QemuRunner.assumeAvailable();
        List<ValType> types = new ArrayList<>();
        for (int i = 0; i < params; i++) types.add(ValType.F64);
        types.add(ValType.I64);
        assertEquals(0, run(types, ValType.F64, INDEX, false), QemuRunner.lastOutput);
        assertEquals(0, run(types, ValType.F64, INDEX, true), QemuRunner.lastOutput);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9})
    void aFailedUpcallGoesToTheTrapRoutine(int params) {
        QemuRunner.assumeAvailable();
        List<ValType> types = new ArrayList<>();
        for (int i = 0; i < params; i++) types.add(ValType.I64);
        assertEquals(EXIT_TRAPPED, run(types, ValType.I64, TRAP_INDEX, false), QemuRunner.lastOutput);
        assertEquals(EXIT_TRAPPED, run(types, ValType.I64, TRAP_INDEX, true), QemuRunner.lastOutput);
    }

    /**
     * Exit status 0 when the call returned the expected sum, EXIT_TRAPPED from the trap routine, else 1.
     * The driver calls the function's call stub ({@code viaStubs}) or an adapter thunk.
     */
    private static int run(List<ValType> params, ValType result, int index, boolean viaStubs) {
        FuncType type = FuncType.of(params.toArray(ValType[]::new), result);
        long[] args = new long[params.size()];
        long expected = 0;
        for (int i = 0; i < args.length; i++) {
            long v = 0x10_0001L * (i + 1) + (1L << (3 * i));
            if (params.get(i) == ValType.I32) {
                expected += v & 0xFFFF_FFFFL;
                v |= 0xDEAD_BEEF_0000_0000L; // garbage above an i32: the adapter must drop it
            } else {
                expected += v;
            }
            args[i] = v;
        }
        // two passes: sizes do not depend on the addresses (they sit in literal pools)
        byte[] image = null;
        long thunkAt = 0, entryAt = 0, callAt = 0;
        int first = index - 2, count = 5; // the stubs of a few functions around index
        for (int pass = 0; pass < 2; pass++) {
            A64Assembler a = new A64Assembler();
            Label probe = a.newLabel(), trap = a.newLabel(), bad = a.newLabel();
            // driver: call the thunk with the arguments in place, compare the result
            ArgumentPlaces.Parameters places = A64CallingConvention.parameters(type);
            int stackBytes = places.stackBytes();
            a.mov(X21, SP);
            if (stackBytes > 0) a.sub(SP, SP, stackBytes);
            for (int i = 0; i < places.count(); i++) {
                ArgumentPlaces.Place place = places.place(i);
                a.mov(X10, args[i]);
                if (place.onStack()) a.str(X10, Address.offset(SP, place.stackOffset()));
                else if (A64RegisterFile.isVector(place.register())) a.fmov(A64RegisterFile.fpr(place.register()), X10);
                else a.mov(A64RegisterFile.gpr(place.register()), X10);
            }
            a.mov(X19, VMCTX);
            a.ldrLiteral(X16, QemuRunner.CODE_ADDRESS + callAt);
            a.blr(X16);
            a.mov(X11, SP); // the callee popped its stack arguments
            a.cmp(X11, X21);
            a.b(Condition.NE, bad);
            if (result == ValType.F64) a.fmov(X0, VectorRegister.D0);
            a.ldrLiteral(X10, expected);
            a.cmp(X0, X10);
            a.b(Condition.NE, bad);
            QemuRunner.exit(a, 0);
            a.bind(bad);
            QemuRunner.exit(a, 1);
            a.bind(trap); // kiln_trap (x19 = vmctx, w1 = 0): exit EXIT_TRAPPED when called as the adapter must
            a.cmp(X19, VMCTX);
            a.b(Condition.NE, bad);
            a.cbnz(W1, bad);
            QemuRunner.exit(a, EXIT_TRAPPED);
            // probe: int upcall(vmctx, index, buffer)
            a.bind(probe);
            a.cmp(X0, VMCTX);
            a.b(Condition.NE, bad);
            a.mov(X11, SP);
            a.tst(X11, 15);
            a.b(Condition.NE, bad);
            Label ok = a.newLabel();
            a.cmp(W1, INDEX);
            a.b(Condition.EQ, ok);
            a.cmp(W1, TRAP_INDEX);
            a.b(Condition.NE, bad);
            a.mov(W0, 9); // a trap was recorded
            a.ret();
            a.bind(ok);
            a.mov(X12, 0);
            for (int i = 0; i < params.size(); i++) {
                a.ldr(X13, Address.offset(X2, ArgumentPlaces.bufferOffset(i)));
                a.add(X12, X12, X13);
            }
            a.str(X12, Address.base(X2));
            a.mov(W0, 0);
            a.ret();
            a.align(16);
            byte[] driver = a.finish().code();
            int probeAt = probe.offset(), trapAt = trap.offset();

            entryAt = driver.length;
            MachineCode entry = A64TierStubs.interpreterEntry(type, "entry", QemuRunner.CODE_ADDRESS + probeAt);
            byte[] entryCode = entry.code().clone();
            for (Relocation r : entry.relocations()) {
                A64RelocationModel.INSTANCE.apply(entryCode, r.offset(), r.type(), QemuRunner.CODE_ADDRESS + trapAt, r.addend(),
                        QemuRunner.CODE_ADDRESS + entryAt + r.offset());
            }
            thunkAt = (entryAt + entryCode.length + 15) & ~15;
            MachineCode thunk = A64TierStubs.adapterThunk("thunk", index, QemuRunner.CODE_ADDRESS + entryAt);
            long stubsAt = (thunkAt + thunk.code().length + 15) & ~15;
            long slotsBase = (stubsAt + (long) A64TierStubs.CALL_STUB_STRIDE * count + 15) & ~15; // slot f at slotsBase + 8f
            MachineCode stubs = A64TierStubs.callStubs(first, count, QemuRunner.CODE_ADDRESS + slotsBase);
            assertEquals(A64TierStubs.CALL_STUB_STRIDE * count, stubs.code().length);
            callAt = viaStubs ? stubsAt + (long) A64TierStubs.CALL_STUB_STRIDE * (index - first) : thunkAt;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(driver);
            out.writeBytes(entryCode);
            while (out.size() < thunkAt) out.write(0);
            out.writeBytes(thunk.code());
            while (out.size() < stubsAt) out.write(0);
            out.writeBytes(stubs.code());
            while (out.size() < slotsBase) out.write(0);
            for (int f = 0; f < first + count; f++) {
                long target = f == index ? QemuRunner.CODE_ADDRESS + entryAt : 0; // other slots are never used
                for (int b = 0; b < 8; b++) out.write((int) (target >>> (8 * b)));
            }
            image = out.toByteArray();
        }
        return QemuRunner.run(image);
    }
}
