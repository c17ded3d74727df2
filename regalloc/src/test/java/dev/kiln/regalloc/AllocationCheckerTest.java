package dev.kiln.regalloc;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.pass.LoopSplitting;
import org.junit.jupiter.api.Test;

import static dev.kiln.regalloc.LinearScanTest.TINY;
import static dev.kiln.regalloc.LinearScanTest.describe;
import static dev.kiln.regalloc.LinearScanTest.prepared;
import static dev.kiln.regalloc.LinearScanTest.registers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker is exact where the copies loop splitting makes of one value meet. */
class AllocationCheckerTest {
    /**
     * x is used in two loops one after the other and after both; the first loop's exit may skip the
     * second. Loop splitting gives each loop its own copy of x, and the copies, spilled, share x's slot:
     * where the two exits meet, the slot holds one copy or the other, both x's bits.
     */
    private static final String TWO_LOOPS = """
            (module (func (param $x i32) (param $n i32) (param $y i32) (param $z i32) (result i32) (local $i i32) (local $s i32)
              (block $merge
                (loop $a
                  (local.set $s (i32.add (local.get $s) (i32.mul (local.get $x) (local.get $i))))
                  (br_if $a (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                (br_if $merge (i32.and (local.get $s) (i32.const 1)))
                (loop $b
                  (local.set $s (i32.add (local.get $s) (i32.xor (local.get $x) (local.get $i))))
                  (br_if $b (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 3))) (local.get $y)))))
              (i32.add (local.get $s) (i32.add (local.get $x) (i32.add (local.get $y) (i32.add (local.get $z) (local.get $n)))))))
            """;

    @Test
    void twoCopiesOfOneValueMeetingInItsSlotHoldTheValue() {
        IrFunction f = splitTwice();
        Allocation a = LinearScan.allocate(f, TINY);
        assertEquals(3, slotSharers(f, a), "x and both loop copies share x's slot:\n" + describe(a));
        AllocationChecker.check(a, TINY);
    }

    @Test
    void theCheckerRejectsCopiesOfDifferentValuesMeetingInOneSlot() {
        IrFunction f = splitTwice();
        int x = f.entry().params[0], n = f.entry().params[1];
        Allocation a = LinearScan.allocate(f, TINY);
        assertEquals(3, slotSharers(f, a), "x and both loop copies share x's slot:\n" + describe(a));
        // the same allocation where the second loop's copy binds n instead of x: n's bits land in x's slot,
        // and where the loops' exits meet x's slot holds x on one path and n on the other
        Edge second = null;
        int k2 = -1;
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                for (int k = 0; k < e.argCount(); k++) {
                    boolean later = second == null || f.blocks.indexOf(e.target) > f.blocks.indexOf(second.target);
                    if (e.arg(k) == x && e.target.params[k] != x && later) { second = e; k2 = k; }
                }
            }
        }
        assertTrue(second != null, IrPrinter.print(f));
        second.setArg(k2, n);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AllocationChecker.check(a, TINY), describe(a));
        assertTrue(e.getMessage().contains("v" + x + " should be in " + Location.toString(a.location(x))), e.getMessage());
    }

    private static IrFunction splitTwice() {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile(TWO_LOOPS)), 0);
        assertTrue(new LoopSplitting(registers(TINY)).run(f), IrPrinter.print(f));
        int x = f.entry().params[0];
        int[] copies = PureCopies.array(f);
        int n = 0;
        for (int c : copies) if (c == x) n++;
        assertEquals(2, n, "one copy of x per loop:\n" + IrPrinter.print(f));
        return f;
    }

    private static int slotSharers(IrFunction f, Allocation a) {
        int x = f.entry().params[0];
        int n = 0;
        for (int v = 0; v < f.valueCount(); v++) if (a.location(v) == a.location(x) && Location.isSlot(a.location(x))) n++;
        return n;
    }
}
