package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.SparseConditionalConstants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SparseConditionalConstants}: constants found through block parameters, and what stays. */
class SparseConditionalConstantsTest {
    private static IrFunction propagated(String wat) {
        return MidEndTesting.after(wat, new SparseConditionalConstants(), new DeadCodeElimination());
    }

    private static long branches(IrFunction f) {
        return f.blocks.stream().filter(b -> b.terminator instanceof Terminator.Branch).count();
    }

    /** The value {@code f}'s one return returns, as the constant that defines it (fails when it is no constant). */
    private static long returnedConstant(IrFunction f) {
        for (BasicBlock b : f.blocks) {
            if (!(b.terminator instanceof Terminator.Return r)) continue;
            for (BasicBlock d : f.blocks) {
                for (Instruction i : d.instructions) {
                    if (i.hasResult() && i.result() == r.values[0]) {
                        assertTrue(i.op == Opcode.I32_CONST, IrPrinter.print(f));
                        return i.imm;
                    }
                }
            }
        }
        throw new AssertionError("no constant returned: " + IrPrinter.print(f));
    }

    @Test
    void aFlagSetBeforeALoopAndOnlyChangedOnAnUntakenPathIsConstant() {
        // $flag is a loop parameter (7 on entry, $flag+1 from a branch that is never taken): the test and the
        // increment go, one branch (the loop's) remains, and 7 is returned
        IrFunction f = propagated("""
                (module (func (param i32) (result i32) (local $flag i32) (local $i i32)
                  (local.set $flag (i32.const 7))
                  (loop $l
                    (if (i32.ne (local.get $flag) (i32.const 7))
                      (then (local.set $flag (i32.add (local.get $flag) (i32.const 1)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
                  (local.get $flag)))
                """);
        assertEquals(1, branches(f), IrPrinter.print(f));
        assertEquals(7, returnedConstant(f));
    }

    @Test
    void theSameConstantFromEveryPredecessorIsConstant() {
        IrFunction f = propagated("""
                (module (func (param i32) (result i32) (local $x i32)
                  (if (local.get 0) (then (local.set $x (i32.const 3))) (else (local.set $x (i32.const 3))))
                  (i32.mul (local.get $x) (i32.const 2))))
                """);
        assertEquals(0, MidEndTesting.count(f, Opcode.I32_MUL), IrPrinter.print(f));
        assertEquals(6, returnedConstant(f));
    }

    @Test
    void differentConstantsMeetAsVarying() {
        IrFunction f = propagated("""
                (module (func (param i32) (result i32) (local $x i32)
                  (if (local.get 0) (then (local.set $x (i32.const 3))) (else (local.set $x (i32.const 4))))
                  (i32.mul (local.get $x) (i32.const 2))))
                """);
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_MUL), IrPrinter.print(f));
    }

    @Test
    void aDivisionThatWouldTrapStays() {
        // the divisor is 0 through the loop: the division traps at run time, so it is no constant
        IrFunction f = propagated("""
                (module (func (param i32) (result i32) (local $d i32) (local $i i32)
                  (loop $l
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
                  (i32.div_s (i32.const 1) (local.get $d))))
                """);
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_DIV_S), IrPrinter.print(f));
    }

    @Test
    void aBrTableOnAConstantThroughALoopTakesOneTarget() {
        // $k is a loop parameter: 1 on entry, 0 from a branch never taken
        IrFunction f = propagated("""
                (module (func (param i32) (result i32) (local $k i32) (local $i i32)
                  (local.set $k (i32.const 1))
                  (loop $l
                    (if (i32.gt_u (local.get $k) (i32.const 5)) (then (local.set $k (i32.const 0))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
                  (block $a (block $b (block $c (br_table $a $b $c (local.get $k)))
                    (return (i32.const 10))) (return (i32.const 20)))
                  (i32.const 30)))
                """);
        assertEquals(0, f.blocks.stream().filter(b -> b.terminator instanceof Terminator.Switch).count(), IrPrinter.print(f));
        assertEquals(1, f.blocks.stream().filter(b -> b.terminator instanceof Terminator.Return).count(), IrPrinter.print(f));
    }
}
