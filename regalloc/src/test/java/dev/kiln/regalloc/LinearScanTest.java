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
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.CallSplitting;
import dev.kiln.ir.pass.LoopSplitting;
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

    /** {@code rf} as loop splitting counts it. */
    static LoopSplitting.Registers registers(RegisterFile rf) {
        return SplitRegisters.of(rf);
    }

    /** Five integer registers, none clobbered by calls. */
    static final RegisterFile FIVE = new RegisterFile() {
        @Override
        public int classOf(ValType t) {
            return TINY.classOf(t);
        }

        @Override
        public int[] allocatable(int c) {
            return c == 0 ? new int[] {0, 1, 2, 3, 4} : new int[] {5, 6};
        }

        @Override
        public boolean isClobberedByCalls(int r, ValType type) {
            return false;
        }
    };

    @Test
    void aValueSplitAtALoopKeepsItsLoopPartInARegisterAndSharesItsSlot() {
        // seven values live across the loop, x used in it, five registers: x's loop part is a header parameter in a
        // register; x around the loop (it ends last) is the one spilled, and a spilled copy shares its value's slot
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $u i32) (param $v i32) (param $w i32) (param $y i32) (param $z i32) (param $n i32) (param $x i32)
                  (result i32) (local $s i32) (local $i i32)
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (i32.mul (local.get $x) (local.get $i))))
                    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                  (i32.add (local.get $x) (i32.add (local.get $s) (i32.add (local.get $u) (i32.add (local.get $v)
                    (i32.add (local.get $w) (i32.add (local.get $y) (local.get $z)))))))))
                """));
        IrFunction f = prepared(vm, 0);
        int x = f.entry().params[6];
        assertTrue(new LoopSplitting(registers(FIVE)).run(f), IrPrinter.print(f));
        IrVerifier.verify(vm.module(), f);
        Allocation a = LinearScan.allocate(f, FIVE);
        AllocationChecker.check(a, FIVE);
        int[] copies = PureCopies.array(f);
        int loopX = -1;
        for (int v = 0; v < copies.length; v++) if (copies[v] == x) loopX = v;
        assertTrue(loopX >= 0, "x is split:\n" + describe(a));
        assertTrue(Location.isRegister(a.location(loopX)), "x's part in the loop is in a register:\n" + describe(a));
        assertTrue(Location.isSlot(a.location(x)), "x around the loop is the one spilled:\n" + describe(a));
        for (int v = 0; v < copies.length; v++) {
            if (copies[v] >= 0 && Location.isSlot(a.location(v)) && Location.isSlot(a.location(copies[v]))) {
                assertEquals(a.location(copies[v]), a.location(v), "a spilled copy shares its value's slot:\n" + describe(a));
            }
        }
    }

    @Test
    void aSpilledCopyOfASpilledValueSharesItsSlot() {
        // three registers cannot hold the loop's s, i, the condition and x's loop part: x's part is spilled too,
        // into x's own slot (no slot-to-slot move at the loop's entry)
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $x i32) (param $y i32) (param $z i32) (param $n i32) (result i32) (local $s i32) (local $i i32)
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (i32.mul (local.get $x) (local.get $i))))
                    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
                  (i32.add (local.get $s) (i32.add (local.get $x) (i32.add (local.get $y) (i32.add (local.get $z) (local.get $n)))))))
                """));
        IrFunction f = prepared(vm, 0);
        int x = f.entry().params[0];
        assertTrue(new LoopSplitting(registers(TINY)).run(f), IrPrinter.print(f));
        Allocation a = LinearScan.allocate(f, TINY);
        AllocationChecker.check(a, TINY);
        int[] copies = PureCopies.array(f);
        int loopX = -1;
        for (int v = 0; v < copies.length; v++) if (copies[v] == x) loopX = v;
        assertTrue(loopX >= 0 && Location.isSlot(a.location(x)), describe(a));
        assertEquals(a.location(x), a.location(loopX), "x's loop part shares x's slot:\n" + describe(a));
    }

    static String describe(Allocation a) {
        StringBuilder sb = new StringBuilder(IrPrinter.print(a.function()));
        for (int v = 0; v < a.function().valueCount(); v++) sb.append(" v").append(v).append('=').append(Location.toString(a.location(v)));
        return sb.toString();
    }

    @Test
    void everyCorpusFunctionAllocatesCorrectlyWithSlotsAndWithFewRegisters() throws Exception {
        int functions = 0, rematerialised = 0, splitValues = 0, fewerSlotReads = 0, reloads = 0, slotReads = 0, slotReadsWithout = 0;
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
                    splitValues += a.splitCount();
                    if (SplitHeadsTest.slotReads(f, a, true) < SplitHeadsTest.slotReads(f, a, false)) fewerSlotReads++;
                    reloads += a.reloadCount();
                    slotReads += SplitHeadsTest.slotReads(f, a, true);
                    slotReadsWithout += SplitHeadsTest.slotReads(f, ReloadsTest.withoutReloads(a), true);
                }
                IrFunction split = prepared(vm, i);
                new LoopSplitting(registers(TINY)).run(split);
                new CallSplitting(registers(TINY)).run(split);
                IrVerifier.verify(vm.module(), split);
                Allocation a = LinearScan.allocate(split, TINY);
                try {
                    AllocationChecker.check(a, TINY);
                } catch (IllegalStateException e) {
                    throw new AssertionError(p + " function " + i + " split at loops and calls: " + e.getMessage() + "\n" + describe(a), e);
                }
                reloads += a.reloadCount();
                slotReads += SplitHeadsTest.slotReads(split, a, true);
                slotReadsWithout += SplitHeadsTest.slotReads(split, ReloadsTest.withoutReloads(a), true);
                rematerialised += Rematerialisation.spilledConstants(split, a).isEmpty() ? 0 : 1;
                Allocation r = Rematerialisation.allocate(split, TINY, g -> null);
                try {
                    IrVerifier.verify(vm.module(), split);
                    AllocationChecker.check(r, TINY);
                } catch (IllegalStateException e) {
                    throw new AssertionError(p + " function " + i + " with constants rematerialised: " + e.getMessage() + "\n" + describe(r), e);
                }
                functions++;
            }
        }
        assertTrue(functions > 5000, "functions " + functions);
        assertTrue(rematerialised > 30, "functions with constants rematerialised " + rematerialised);
        // split heads (SplitHeadsTest): the spec functions are small, few spill at all
        assertTrue(splitValues >= 10, "values split " + splitValues);
        assertTrue(fewerSlotReads >= 5, "functions reading fewer slots " + fewerSlotReads);
        // reloads (ReloadsTest): spilled values read from a register again after one load
        System.out.println("reloads " + reloads + ", slot reads " + slotReads + " against " + slotReadsWithout);
        assertTrue(reloads >= 5, "reloads " + reloads);
        assertTrue(slotReads < slotReadsWithout, "slot reads " + slotReads + " with reloads, " + slotReadsWithout + " without");
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

    @Test
    void aConstantTheScanWouldSpillIsRecomputedAtEachUse() {
        // c is set first and read after the loop: with x, n, i and s read in the loop on three registers, it is the
        // value of lowest spill cost (two reads outside any loop over the longest interval)
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $x i32) (param $n i32) (result i32) (local $c i32) (local $i i32) (local $s i32)
                  (local.set $c (i32.const 12345))
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (i32.mul (local.get $x) (local.get $i))))
                    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                  (i32.add (i32.mul (local.get $s) (local.get $c)) (i32.mul (local.get $x) (local.get $c)))))
                """));
        IrFunction plain = prepared(vm, 0);
        Allocation before = LinearScan.allocate(plain, TINY);
        assertEquals(1, Rematerialisation.spilledConstants(plain, before).cardinality(), "the scan spills the constant:\n" + describe(before));
        IrFunction f = prepared(vm, 0);
        Allocation a = Rematerialisation.allocate(f, TINY, g -> null);
        IrVerifier.verify(vm.module(), f);
        AllocationChecker.check(a, TINY);
        int copies = 0;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op != Opcode.I32_CONST || i.imm != 12345) continue;
                copies++;
                assertTrue(Location.isRegister(a.location(i.result())), "each copy in a register:\n" + describe(a));
            }
        }
        assertEquals(2, copies, "one copy per use:\n" + describe(a));
        assertTrue(a.slotCount() < before.slotCount(), "fewer slots: " + a.slotCount() + " against " + before.slotCount() + "\n" + describe(a));
    }

    @Test
    void aValueReadInALoopKeepsItsRegisterOverValuesReadOnceAfterIt() {
        // y, z1, z2, n, i and s are live at the loop on five registers; y ends last (read in the loop and
        // at the very end), so spilling what ends last would put y in a slot and read it each iteration
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $y i32) (param $z1 i32) (param $z2 i32) (param $n i32) (result i32) (local $i i32) (local $s i32)
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (i32.mul (local.get $y) (local.get $i))))
                    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                  (i32.add (i32.add (local.get $z1) (local.get $z2)) (i32.add (local.get $s) (local.get $y)))))
                """));
        IrFunction f = prepared(vm, 0);
        Allocation a = LinearScan.allocate(f, FIVE);
        AllocationChecker.check(a, FIVE);
        int y = f.entry().params[0];
        assertTrue(a.liveIntervals().weight(y) > a.liveIntervals().weight(f.entry().params[1]), describe(a));
        assertTrue(Location.isRegister(a.location(y)), "y, read in the loop, in a register:\n" + describe(a));
        assertTrue(Location.isSlot(a.location(f.entry().params[1])) || Location.isSlot(a.location(f.entry().params[2])),
                "z1 or z2, read once after the loop, spilled:\n" + describe(a));
    }
}
