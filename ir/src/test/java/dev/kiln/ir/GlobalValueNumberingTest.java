package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.pass.GlobalValueNumbering;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link GlobalValueNumbering}: what it removes, and what it must leave. */
class GlobalValueNumberingTest {
    /** Function 0 of {@code wat}, optimised as every tier does, then numbered (verified after each step). */
    private static IrFunction numbered(String wat) {
        return MidEndTesting.after(wat, new GlobalValueNumbering());
    }

    @Test
    void aComputationInADominatingBlockIsReused() {
        // (a*b + 16) in the entry, again after the if: one multiply and one add remain, whichever i32.const 16 each reads
        IrFunction f = numbered("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param i32 i32 i32) (result i32)
                    (global.set $g (i32.add (i32.mul (local.get 0) (local.get 1)) (i32.const 16)))
                    (if (local.get 2) (then (global.set $g (i32.const 7))))
                    (i32.add (i32.mul (local.get 1) (local.get 0)) (i32.const 16))))
                """);
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_MUL), IrPrinter.print(f));
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_ADD), IrPrinter.print(f));
        assertEquals(3, MidEndTesting.count(f, Opcode.I32_CONST), "constants stay where they are: " + IrPrinter.print(f));
    }

    @Test
    void computationsOnParallelPathsAreBothKept() {
        IrFunction f = numbered("""
                (module (func (param i32 i32 i32) (result i32)
                  (if (result i32) (local.get 2)
                    (then (i32.mul (local.get 0) (local.get 1)))
                    (else (i32.sub (i32.const 0) (i32.mul (local.get 0) (local.get 1)))))))
                """);
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_MUL), IrPrinter.print(f));
    }

    @Test
    void loadsGlobalsAndNonCommutingOperandsAreNotMerged() {
        IrFunction f = numbered("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func (param i32 i32) (result i32)
                    (i32.add (i32.add (i32.load (local.get 0)) (i32.load (local.get 0)))
                      (i32.add (i32.add (global.get $g) (global.get $g))
                        (i32.add (i32.sub (local.get 0) (local.get 1)) (i32.sub (local.get 1) (local.get 0)))))))
                """);
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_LOAD), IrPrinter.print(f));
        assertEquals(2, MidEndTesting.count(f, Opcode.GLOBAL_GET), IrPrinter.print(f));
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_SUB), IrPrinter.print(f));
    }

    @Test
    void aDominatedDivisionWithTheSameOperandsIsRedundantButNotOneWithOthers() {
        // the first divide traps (or not) for both; a divide by another value may trap on its own
        IrFunction f = numbered("""
                (module (func (param i32 i32 i32) (result i32)
                  (i32.add (i32.add (i32.div_s (local.get 0) (local.get 1)) (i32.div_s (local.get 0) (local.get 1)))
                    (i32.div_s (local.get 0) (local.get 2)))))
                """);
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_DIV_S), IrPrinter.print(f));
    }

    @Test
    void aComparisonFusedWithItsBranchStaysBeforeIt() {
        IrFunction f = numbered("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param i32 i32) (result i32)
                    (global.set $g (i32.lt_s (local.get 0) (local.get 1)))
                    (if (result i32) (i32.lt_s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2)))))
                """);
        BasicBlock entry = f.entry();
        Instruction last = entry.instructions.getLast();
        assertEquals(Opcode.I32_LT_S, last.op, IrPrinter.print(f));
        assertEquals(last.result(), ((Terminator.Branch) entry.terminator).condition, IrPrinter.print(f));
    }

    @Test
    void aReplacedValueIsRenamedInEdgesAndTerminators() {
        IrFunction f = numbered("""
                (module (func (param i32 i32) (result i32) (local $x i32)
                  (local.set $x (i32.xor (local.get 0) (local.get 1)))
                  (loop $l
                    (local.set $x (i32.add (local.get $x) (i32.xor (local.get 1) (local.get 0))))
                    (br_if $l (i32.lt_u (local.get $x) (i32.const 100))))
                  (i32.xor (local.get 0) (local.get 1))))
                """);
        // the xor in the loop and the one returned read the entry's (the verifier checks every use has a definition)
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_XOR), IrPrinter.print(f));
    }
}
