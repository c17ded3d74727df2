package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.pass.GlobalValueNumbering;
import dev.kiln.ir.pass.LoopInvariantCodeMotion;
import dev.kiln.ir.pass.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LoopInvariantCodeMotion}: what leaves a loop, what stays, and the preheader it goes to. */
class LoopInvariantCodeMotionTest {
    /** Function 0 of {@code wat}, optimised as every tier does, then with invariants moved (verified after each step). */
    private static IrFunction moved(String wat) {
        BitSet headersBefore = BackEdges.headers(MidEndTesting.after(wat, new GlobalValueNumbering()));
        IrFunction f = MidEndTesting.after(wat, new GlobalValueNumbering(), new LoopInvariantCodeMotion());
        assertEquals(headersBefore, BackEdges.headers(f), "the loop headers stay: " + IrPrinter.print(f));
        return f;
    }

    /** The layout position of the first (outermost) loop header. */
    private static int firstHeader(IrFunction f) {
        BitSet headers = BackEdges.headers(f);
        for (int k = 0; k < f.blocks.size(); k++) if (headers.get(f.blocks.get(k).id)) return k;
        throw new AssertionError("no loop: " + IrPrinter.print(f));
    }

    /** Layout positions of the blocks holding {@code op}. */
    private static List<Integer> positions(IrFunction f, Opcode op) {
        return IntStream.range(0, f.blocks.size())
                .flatMap(k -> f.blocks.get(k).instructions.stream().filter(i -> i.op == op).mapToInt(i -> k)).boxed().toList();
    }

    private static final String SUM = """
            (module (memory 1)
              (func (param $a i32) (param $n i32) (param $s i32) (result i32) (local $i i32) (local $t i32)
                (loop $l
                  (local.set $t (i32.add (local.get $t)
                    (i32.load (i32.add (i32.add (local.get $a) (i32.mul (local.get $n) (local.get $s)))
                                       (i32.shl (local.get $i) (i32.const 2))))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $t)))
            """;

    @Test
    void anInvariantProductMovesBeforeTheLoop() {
        IrFunction f = moved(SUM);
        int header = firstHeader(f);
        List<Integer> muls = positions(f, Opcode.I32_MUL);
        assertEquals(1, muls.size(), IrPrinter.print(f));
        assertTrue(muls.getFirst() < header, "a*s is computed before the loop: " + IrPrinter.print(f));
        // the sum of the invariant address and the product too; the shifted index and the load stay
        assertTrue(positions(f, Opcode.I32_SHL).getFirst() >= header, IrPrinter.print(f));
        assertTrue(positions(f, Opcode.I32_LOAD).getFirst() >= header, IrPrinter.print(f));
    }

    @Test
    void withoutThePassTheProductIsComputedInTheLoop() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(SUM));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f);
        assertTrue(positions(f, Opcode.I32_MUL).getFirst() >= firstHeader(f), IrPrinter.print(f));
    }

    @Test
    void divisionsLoadsAndGlobalsStayInTheLoop() {
        // all three have invariant operands, but a divide may trap, and memory and globals may change
        IrFunction f = moved("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func (param $a i32) (param $b i32) (param $n i32) (result i32) (local $i i32) (local $t i32)
                    (loop $l
                      (local.set $t (i32.add (local.get $t) (i32.add (i32.div_s (local.get $a) (local.get $b))
                        (i32.add (i32.load (local.get $a)) (global.get $g)))))
                      (global.set $g (local.get $t))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                    (local.get $t)))
                """);
        int header = firstHeader(f);
        for (Opcode op : new Opcode[] {Opcode.I32_DIV_S, Opcode.I32_LOAD, Opcode.GLOBAL_GET}) {
            assertTrue(positions(f, op).getFirst() >= header, op + " stays: " + IrPrinter.print(f));
        }
    }

    @Test
    void aSingleCycleOperationOfOneValueAndAConstantStays() {
        // a + 16 would cost a register across the loop to save one add per iteration; a * 16 and a + b move
        IrFunction f = moved("""
                (module (memory 1)
                  (func (param $a i32) (param $b i32) (param $n i32) (result i32) (local $i i32) (local $t i32)
                    (loop $l
                      (local.set $t (i32.add (local.get $t) (i32.xor (i32.add (local.get $a) (i32.const 16))
                        (i32.xor (i32.mul (local.get $a) (i32.const 16)) (i32.sub (local.get $a) (local.get $b))))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                    (local.get $t)))
                """);
        int header = firstHeader(f);
        assertTrue(positions(f, Opcode.I32_MUL).getFirst() < header, IrPrinter.print(f));
        assertTrue(positions(f, Opcode.I32_SUB).getFirst() < header, IrPrinter.print(f));
        assertTrue(positions(f, Opcode.I32_ADD).stream().filter(k -> k < header).findAny().isEmpty(), IrPrinter.print(f));
    }

    @Test
    void anInvariantOfTwoNestedLoopsLeavesBoth() {
        IrFunction f = moved("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param $a i32) (param $b i32) (param $n i32) (local $i i32) (local $j i32)
                    (loop $outer
                      (local.set $j (i32.const 0))
                      (loop $inner
                        (global.set $g (i32.add (global.get $g) (i32.xor (i32.rotl (local.get $a) (i32.const 5)) (local.get $b))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))))
                """);
        int outer = firstHeader(f);
        assertTrue(positions(f, Opcode.I32_ROTL).getFirst() < outer, IrPrinter.print(f));
        assertTrue(positions(f, Opcode.I32_XOR).getFirst() < outer, IrPrinter.print(f));
    }

    @Test
    void aLoopEnteredFromABranchGetsAPreheaderOfItsOwn() {
        IrFunction f = moved("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param $a i32) (param $c i32) (param $n i32) (local $i i32)
                    (if (local.get $c) (then
                      (loop $l
                        (global.set $g (i32.mul (local.get $a) (local.get $a)))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))))
                """);
        int header = firstHeader(f);
        List<Integer> muls = positions(f, Opcode.I32_MUL);
        assertTrue(muls.getFirst() < header, IrPrinter.print(f));
        // not in the entry, which runs whether or not the loop does (harmless for a multiply, but not the place)
        assertFalse(f.entry().instructions.stream().anyMatch(i -> i.op == Opcode.I32_MUL), IrPrinter.print(f));
    }
}
