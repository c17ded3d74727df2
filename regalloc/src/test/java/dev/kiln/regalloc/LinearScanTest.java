package dev.kiln.regalloc;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearScanTest {
    /** A small test register file: 3 integer registers (0..2, register 2 clobbered by calls), 2 float (3, 4). */
    static final RegisterFile TINY = new RegisterFile() {
        @Override
        public int classOf(ValType t) {
            return t == ValType.F32 || t == ValType.F64 || t == ValType.V128 ? 1 : 0;
        }

        @Override
        public int[] allocatable(int c) {
            return c == 0 ? new int[] {0, 1, 2} : new int[] {3, 4};
        }

        @Override
        public boolean isClobberedByCalls(int r, ValType type) {
            return r == 2 || r == 4;
        }
    };

    static IrFunction prepared(ValidatedModule vm, int func) {
        IrFunction f = IrBuilder.build(vm, func);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        return f;
    }

    @Test
    void slotsAreReusedWhenIntervalsEnd() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param i32) (result i32)
                  (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1))))
                """));
        Allocation a = LinearScan.allocate(prepared(vm, 0), FrameSlotsOnly.INSTANCE);
        AllocationChecker.check(a, FrameSlotsOnly.INSTANCE);
        assertTrue(a.slotCount() <= 3, "slots " + a.slotCount());
    }

    @Test
    void loopCarriedValuesShareSlotsWithTheirParameters() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $n i32) (result i32) (local $i i32) (local $acc i32)
                  (loop $l
                    (local.set $acc (i32.add (local.get $acc) (local.get $i)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
                  (local.get $acc)))
                """));
        IrFunction f = prepared(vm, 0);
        Allocation a = LinearScan.allocate(f, FrameSlotsOnly.INSTANCE);
        AllocationChecker.check(a, FrameSlotsOnly.INSTANCE);
    }

    @Test
    void checkerCatchesAWrongAllocation() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1))))
                """));
        IrFunction f = prepared(vm, 0);
        int[] pre = new int[f.valueCount()];
        Arrays.fill(pre, Location.NONE);
        pre[0] = Location.slot(0);
        pre[1] = Location.slot(0); // both parameters in one slot: the checker must object
        Allocation a = LinearScan.allocate(f, FrameSlotsOnly.INSTANCE, pre, 1);
        assertThrows(IllegalStateException.class, () -> AllocationChecker.check(a, FrameSlotsOnly.INSTANCE));
    }

    @Test
    void valuesLivingAcrossCallsAvoidClobberedRegisters() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func $g (result i32) (i32.const 1))
                  (func (param i32 i32 i32) (result i32)
                    (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (call $g)))))
                """));
        IrFunction f = prepared(vm, 1);
        Allocation a = LinearScan.allocate(f, TINY);
        AllocationChecker.check(a, TINY);
    }

    static String describe(Allocation a) {
        StringBuilder sb = new StringBuilder(IrPrinter.print(a.function()));
        for (int v = 0; v < a.function().valueCount(); v++) sb.append(" v").append(v).append('=').append(Location.toString(a.location(v)));
        return sb.toString();
    }

    @Test
    void everyCorpusFunctionAllocatesCorrectlyWithSlotsAndWithFewRegisters() throws Exception {
        int functions = 0;
        List<Path> files = SharedData.specModules();
        for (Path p : files) {
            ValidatedModule vm;
            try {
                vm = ValidatedModule.of(Files.readAllBytes(p));
            } catch (ModuleException e) {
                continue;
            }
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrFunction f = prepared(vm, i);
                for (RegisterFile rf : new RegisterFile[] {FrameSlotsOnly.INSTANCE, TINY}) {
                    Allocation a = LinearScan.allocate(f, rf);
                    try {
                        AllocationChecker.check(a, rf);
                    } catch (IllegalStateException e) {
                        throw new AssertionError(p + " function " + i + ": " + e.getMessage() + "\n" + describe(a), e);
                    }
                }
                functions++;
            }
        }
        assertTrue(functions > 5000, "functions " + functions);
        assertEquals(0, 0);
    }

    /** TINY, but division overwrites register 0 as scratch (as x86-64's div overwrites RAX). */
    static final RegisterFile DIVISION_CLOBBERS_R0 = new RegisterFile() {
        @Override
        public int classOf(ValType t) {
            return TINY.classOf(t);
        }

        @Override
        public int[] allocatable(int c) {
            return TINY.allocatable(c);
        }

        @Override
        public boolean isClobberedByCalls(int r, ValType type) {
            return TINY.isClobberedByCalls(r, type);
        }

        @Override
        public long scratchClobbers(Instruction i) {
            return i.op == Opcode.I32_DIV_U ? 1L : 0;
        }
    };

    @Test
    void scratchClobbersKeepOperandsResultsAndValuesLiveAcrossOutOfTheRegister() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param i32 i32 i32) (result i32)
                  (i32.add (i32.add (i32.div_u (local.get 0) (local.get 1)) (local.get 2)) (local.get 0))))
                """));
        IrFunction f = prepared(vm, 0);
        Allocation plain = LinearScan.allocate(f, TINY);
        Allocation a = LinearScan.allocate(f, DIVISION_CLOBBERS_R0);
        AllocationChecker.check(a, DIVISION_CLOBBERS_R0);
        boolean r0UsedWithout = false;
        for (int v = 0; v < f.valueCount(); v++) r0UsedWithout |= plain.location(v) == Location.register(0);
        assertTrue(r0UsedWithout, "without the clobber register 0 holds a value");
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op != Opcode.I32_DIV_U) continue;
                for (int kV = 0; kV < i.argCount(); kV++) { int v = i.arg(kV); assertTrue(a.location(v) != Location.register(0), "operand v" + v + " in r0"); }
                assertTrue(a.location(i.result()) != Location.register(0), "result in r0");
            }
        }
        // the parameters 0 and 2 live across the division: never in r0
        assertTrue(a.location(f.entry().params[0]) != Location.register(0));
        assertTrue(a.location(f.entry().params[2]) != Location.register(0));
        // and the checker rejects the allocation that ignores the clobber
        assertThrows(IllegalStateException.class, () -> AllocationChecker.check(plain, DIVISION_CLOBBERS_R0));
    }
}
