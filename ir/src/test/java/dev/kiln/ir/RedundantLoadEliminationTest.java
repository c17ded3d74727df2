package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.pass.GlobalValueNumbering;
import dev.kiln.ir.pass.RedundantLoadElimination;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RedundantLoadElimination}: loads that read what is known, and the writes and joins that end what is known. */
class RedundantLoadEliminationTest {
    /** Function 0 of {@code wat}, optimised as every tier does, numbered, then with redundant loads removed (verified after each step). */
    private static IrFunction eliminated(String wat) {
        return MidEndTesting.after(wat, new GlobalValueNumbering(), new RedundantLoadElimination());
    }

    @Test
    void aSecondLoadOfTheSameAddressReadsTheFirst() {
        // the address a+8 is computed twice (value numbering makes it one value); offsets and kinds must match
        IrFunction f = eliminated("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func (param $a i32) (result i32)
                    (global.set $g (i32.load offset=4 (i32.add (local.get $a) (i32.const 8))))
                    (i32.add (i32.add (i32.load offset=4 (i32.add (local.get $a) (i32.const 8)))
                                      (i32.load offset=8 (i32.add (local.get $a) (i32.const 8))))
                             (i32.load16_u offset=4 (i32.add (local.get $a) (i32.const 8))))))
                """);
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_LOAD), IrPrinter.print(f));
        assertEquals(1, MidEndTesting.count(f, Opcode.I32_LOAD16_U), IrPrinter.print(f));
    }

    @Test
    void aLoadFromAnAddressThatWasItselfARedundantLoadIsRedundantToo() {
        // *(*a) twice: the second inner load is the first, and so the second outer load reads the first's address
        IrFunction f = eliminated("""
                (module (memory 1)
                  (func (param $a i32) (result i32)
                    (i32.add (i32.load (i32.load (local.get $a))) (i32.load (i32.load (local.get $a))))))
                """);
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_LOAD), IrPrinter.print(f));
    }

    @Test
    void aLoadAfterAStoreOfTheSameWidthReadsTheStoredValue() {
        IrFunction f = eliminated("""
                (module (memory 1)
                  (func (param $a i32) (param $v i64) (result i64)
                    (i64.store offset=16 (local.get $a) (local.get $v))
                    (i64.load offset=16 (local.get $a))))
                """);
        assertEquals(0, MidEndTesting.count(f, Opcode.I64_LOAD), IrPrinter.print(f));
        // a narrower store does not give the load's value
        IrFunction g = eliminated("""
                (module (memory 1)
                  (func (param $a i32) (param $v i64) (result i64)
                    (i64.store32 offset=16 (local.get $a) (local.get $v))
                    (i64.load offset=16 (local.get $a))))
                """);
        assertEquals(1, MidEndTesting.count(g, Opcode.I64_LOAD), IrPrinter.print(g));
    }

    @Test
    void storesCallsAndGrowthInBetweenKeepTheLoad() {
        for (String between : new String[] {"(i32.store (local.get $b) (i32.const 1))", "(call $f)",
                "(drop (memory.grow (i32.const 1)))", "(memory.fill (local.get $b) (i32.const 0) (i32.const 4))"}) {
            IrFunction f = eliminated("""
                    (module (memory 1) (global $g (mut i32) (i32.const 0))
                      (func $run (param $a i32) (param $b i32) (result i32)
                        (global.set $g (i32.load (local.get $a)))
                        %s
                        (i32.load (local.get $a)))
                      (func $f))
                    """.formatted(between));
            assertEquals(2, MidEndTesting.count(f, Opcode.I32_LOAD), between + ": " + IrPrinter.print(f));
        }
    }

    @Test
    void aBlockEnteredOnlyFromTheLoadsBlockKnowsItButAJoinDoesNot() {
        IrFunction f = eliminated("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func (param $a i32) (param $c i32) (result i32)
                    (global.set $g (i32.load (local.get $a)))
                    (if (local.get $c) (then (global.set $g (i32.load (local.get $a)))))
                    (if (local.get $c) (then (i32.store (local.get $a) (i32.const 3))))
                    (i32.load (local.get $a))))
                """);
        // the load in the first then-block is gone; the one after the store's join stays
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_LOAD), IrPrinter.print(f));
    }
}
