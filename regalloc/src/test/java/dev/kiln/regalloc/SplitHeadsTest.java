package dev.kiln.regalloc;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import org.junit.jupiter.api.Test;

import static dev.kiln.regalloc.LinearScanTest.TINY;
import static dev.kiln.regalloc.LinearScanTest.prepared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values spilled after their definition keep their register until then (split heads). */
class SplitHeadsTest {
    /** Eight values live at once over three registers: some are spilled after their first uses. */
    private static final String PRESSURE = """
            (module (func (param $a i32) (param $b i32) (result i32)
              (local $c i32) (local $d i32) (local $e i32) (local $g i32) (local $h i32)
              (local.set $c (i32.mul (local.get $a) (local.get $b)))
              (local.set $d (i32.add (local.get $c) (local.get $c)))
              (local.set $e (i32.xor (local.get $d) (local.get $c)))
              (local.set $g (i32.sub (local.get $e) (local.get $d)))
              (local.set $h (i32.or (local.get $g) (local.get $e)))
              (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
                       (i32.add (i32.add (local.get $e) (local.get $g)) (local.get $h)))))
            """;

    @Test
    void aValueSpilledAfterItsDefinitionIsReadFromItsRegisterUntilThen() {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile(PRESSURE)), 0);
        Allocation a = LinearScan.allocate(f, TINY);
        AllocationChecker.check(a, TINY);
        assertTrue(a.splitCount() > 0, "no value was split");
        LiveIntervals live = a.liveIntervals();
        for (int v = 0; v < f.valueCount(); v++) {
            if (a.head(v) == Location.NONE) continue;
            assertTrue(Location.isRegister(a.head(v)), "v" + v + " head");
            assertTrue(Location.isSlot(a.location(v)), "v" + v + " home");
            assertTrue(live.firstUse(v) <= a.headEnd(v), "v" + v + " is read in its head");
            assertEquals(a.head(v), a.location(v, live.firstUse(v)), "v" + v + " at its first read");
            assertEquals(a.location(v), a.location(v, a.headEnd(v) + 1), "v" + v + " after its head");
        }
        assertTrue(slotReads(f, a, true) < slotReads(f, a, false),
                "reads from slots: " + slotReads(f, a, true) + " split, " + slotReads(f, a, false) + " whole");
    }

    @Test
    void theCheckerRejectsAHeadReadAfterItsRegisterIsReused() {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile(PRESSURE)), 0);
        Allocation a = LinearScan.allocate(f, TINY);
        LiveIntervals live = a.liveIntervals();
        int split = -1;
        for (int v = 0; v < f.valueCount() && split < 0; v++) {
            if (a.head(v) != Location.NONE && live.end(v) > a.headEnd(v) + 1) split = v;
        }
        assertTrue(split >= 0, "a split value read after its head");
        int[] locations = new int[f.valueCount()];
        for (int v = 0; v < locations.length; v++) locations[v] = a.location(v);
        SplitHeads stretched = new SplitHeads();
        for (int v = 0; v < f.valueCount(); v++) {
            if (a.head(v) != Location.NONE) stretched.add(v, a.head(v), v == split ? live.end(split) : a.headEnd(v));
        }
        Allocation wrong = new Allocation(f, locations, a.slotCount(), a.usedRegisters(), null, live, stretched);
        assertThrows(IllegalStateException.class, () -> AllocationChecker.check(wrong, TINY));
    }

    @Test
    void aLoopEnteredAfterTheDefinitionBoundsTheHead() {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile("""
                (module (func (param $n i32) (result i32) (local $i i32) (local $acc i32)
                  (local.set $acc (i32.mul (local.get $n) (local.get $n)))
                  (loop $l
                    (local.set $acc (i32.add (local.get $acc) (local.get $i)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
                  (local.get $acc)))
                """)), 0);
        LinearOrder order = new LinearOrder(f);
        LoopRanges loops = new LoopRanges(f, order);
        BasicBlock header = null, latch = null;
        for (int i = 0; i < f.blocks.size(); i++) {
            for (Edge e : f.blocks.get(i).terminator.edges()) {
                int h = f.blocks.indexOf(e.target);
                if (h <= i) { header = e.target; latch = f.blocks.get(i); }
            }
        }
        assertNotEquals(null, header, "the function has a loop");
        int definition = order.blockStart(f.entry()) + 1;
        int inside = order.blockStart(header) + 2;
        int beyond = order.blockEnd(latch) + 1;
        // the register is reused inside the loop: the back edge brings the new value to the header
        assertEquals(order.blockStart(header) - 1, loops.holdsUntil(definition, inside));
        // reused only after the loop: every read in the loop sees the register
        assertEquals(beyond, loops.holdsUntil(definition, beyond));
        // defined inside the loop: each iteration writes the register again before reading it
        assertEquals(inside + 2, loops.holdsUntil(inside - 1, inside + 2));
    }

    /** Instruction operands read from stack slots: at their positions ({@code split}) or from the home location. */
    static int slotReads(IrFunction f, Allocation a, boolean split) {
        LinearOrder order = a.liveIntervals().order();
        int n = 0;
        for (BasicBlock b : f.blocks) {
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                for (int j = 0; j < i.argCount(); j++) {
                    int l = split ? a.location(i.arg(j), order.instructionUse(b, k)) : a.location(i.arg(j));
                    if (Location.isSlot(l)) n++;
                }
            }
        }
        return n;
    }
}
