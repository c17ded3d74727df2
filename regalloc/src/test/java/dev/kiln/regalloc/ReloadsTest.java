package dev.kiln.regalloc;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.IrFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.regalloc.LinearScanTest.TINY;
import static dev.kiln.regalloc.LinearScanTest.describe;
import static dev.kiln.regalloc.LinearScanTest.prepared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spilled values read from a register again after a reload: once before a loop, once per run of reads in a block. */
class ReloadsTest {
    /** Four parameters over three registers while y is worked out; then only y and x, x read in the loop or in a run. */
    private static String pressureThen(String tail) {
        return """
                (module (func (param $x i32) (param $y i32) (param $z i32) (param $n i32) (result i32)
                  (local.set $y (i32.mul (i32.add (local.get $y) (local.get $z)) (i32.sub (local.get $z) (local.get $n))))
                  (local.set $y (i32.mul (i32.add (local.get $y) (local.get $z)) (i32.sub (local.get $z) (local.get $n))))
                  (local.set $y (i32.mul (i32.add (local.get $y) (local.get $z)) (i32.sub (local.get $z) (local.get $n))))
                  (local.set $y (i32.mul (i32.add (local.get $y) (local.get $z)) (i32.sub (local.get $z) (local.get $n))))
                """ + tail + "))";
    }

    private static final String LOOP = pressureThen("""
              (loop $l
                (local.set $y (i32.rotl (local.get $y) (local.get $x)))
                (br_if $l (local.get $y)))
              (local.get $y)
            """);

    private static final String RUN = pressureThen("""
              (i32.xor (i32.mul (local.get $x) (i32.rotl (local.get $y) (local.get $x))) (i32.rotr (local.get $y) (local.get $x)))
            """);

    /** x read once in the entry block and once in the block of the if's arm, entered only from it. */
    private static final String TRACE = pressureThen("""
              (i32.add (i32.rotl (local.get $y) (local.get $x))
                       (if (result i32) (local.get $y) (then (i32.div_u (local.get $y) (local.get $x))) (else (local.get $y))))
            """);

    private static final int X = 0; // the first parameter

    @Test
    void aValueDefinedBeforeALoopIsLoadedOnceBeforeItAndReadFromARegisterInIt() {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile(LOOP)), 0);
        Allocation a = LinearScan.allocate(f, TINY);
        AllocationChecker.check(a, TINY);
        assertTrue(Location.isSlot(a.location(X)), "x is spilled while y is worked out:\n" + describe(a));
        BasicBlock header = f.blocks.get(1);
        LinearOrder order = a.liveIntervals().order();
        int before = order.terminatorUse(f.blocks.get(0));
        assertEquals(List.of(X), reloads(a, before), "x is loaded at the jump into the loop:\n" + describe(a));
        int read = order.instructionUse(header, 0);
        assertTrue(Location.isRegister(a.location(X, read)), "x is read from a register in the loop:\n" + describe(a));
        assertEquals(1, a.reloadCount(), describe(a));
        assertTrue(SplitHeadsTest.slotReads(f, a, true) < SplitHeadsTest.slotReads(f, withoutReloads(a), true));
    }

    @Test
    void aRunOfReadsInOneBlockIsLoadedOnce() {
        Allocation a = spilledX(RUN);
        List<Integer> reads = readsOfX(a, new ArrayList<>());
        assertEquals(3, reads.size(), describe(a));
        assertEquals(List.of(X), reloads(a, reads.getFirst()), "x is loaded before its first read:\n" + describe(a));
        for (int p : reads) assertTrue(Location.isRegister(a.location(X, p)), "x at " + p + ":\n" + describe(a));
        assertEquals(3, SplitHeadsTest.slotReads(a.function(), withoutReloads(a), true) - SplitHeadsTest.slotReads(a.function(), a, true),
                describe(a));
    }

    @Test
    void aRunGoesOnIntoABlockEnteredOnlyFromTheOneBeforeIt() {
        Allocation a = spilledX(TRACE);
        List<BasicBlock> blocks = new ArrayList<>();
        List<Integer> reads = readsOfX(a, blocks);
        assertEquals(2, blocks.size(), "x is read in two blocks:\n" + describe(a));
        assertEquals(List.of(X), reloads(a, reads.getFirst()), "x is loaded before its first read:\n" + describe(a));
        for (int p : reads) assertTrue(Location.isRegister(a.location(X, p)), "x at " + p + ":\n" + describe(a));
        assertEquals(1, a.reloadCount(), describe(a));
    }

    /** The function of {@code wat} allocated over {@link LinearScanTest#TINY} and checked; x is spilled. */
    private static Allocation spilledX(String wat) {
        IrFunction f = prepared(ValidatedModule.of(Wat.compile(wat)), 0);
        Allocation a = LinearScan.allocate(f, TINY);
        AllocationChecker.check(a, TINY);
        assertTrue(Location.isSlot(a.location(X)), describe(a));
        return a;
    }

    /** The positions of the instructions reading x, in layout order; the blocks they are in go to {@code blocks}. */
    private static List<Integer> readsOfX(Allocation a, List<BasicBlock> blocks) {
        LinearOrder order = a.liveIntervals().order();
        List<Integer> reads = new ArrayList<>();
        for (BasicBlock b : a.function().blocks) {
            for (int k = 0; k < b.instructions.size(); k++) {
                for (int j = 0; j < b.instructions.get(k).argCount(); j++) {
                    if (b.instructions.get(k).arg(j) != X) continue;
                    reads.add(order.instructionUse(b, k));
                    if (!blocks.contains(b)) blocks.add(b);
                }
            }
        }
        return reads;
    }

    @Test
    void theCheckerAcceptsTheReloadsAndRejectsAPieceInARegisterThatIsTaken() {
        for (String wat : List.of(LOOP, RUN, TRACE)) {
            IrFunction f = prepared(ValidatedModule.of(Wat.compile(wat)), 0);
            Allocation a = LinearScan.allocate(f, TINY);
            AllocationChecker.check(a, TINY);
            LinearOrder order = a.liveIntervals().order();
            int from = -1;
            for (int p = 0; p < order.size() && from < 0; p++) if (reloads(a, p).contains(X)) from = p;
            int to = from;
            while (a.location(X, to + 1) == a.location(X, from)) to++;
            // the same stretch in each other integer register where something else lives
            RegisterOccupancy occupancy = occupancy(a);
            int tried = 0;
            for (int r : TINY.allocatable(0)) {
                if (r == a.location(X, from) || occupancy.isFree(r, from - 1, to)) continue;
                tried++;
                Reloads wrong = new Reloads();
                wrong.add(X, r, from, to);
                Allocation corrupted = rebuilt(a, wrong);
                assertThrows(IllegalStateException.class, () -> AllocationChecker.check(corrupted, TINY), "x in r" + r + ":\n" + describe(a));
            }
            assertTrue(tried > 0, describe(a));
            // the right register, but loaded only after the first read
            Reloads lateLoad = new Reloads();
            lateLoad.add(X, a.location(X, from), from + 1, to);
            Allocation corrupted = rebuilt(a, lateLoad);
            assertThrows(IllegalStateException.class, () -> AllocationChecker.check(corrupted, TINY), "loaded late:\n" + describe(a));
        }
    }

    private static List<Integer> reloads(Allocation a, int position) {
        List<Integer> out = new ArrayList<>();
        for (int v : a.reloadsAt(position)) out.add(v);
        return out;
    }

    static Allocation withoutReloads(Allocation a) {
        return rebuilt(a, new Reloads());
    }

    /** An allocation's home locations and heads. */
    private record Homes(int[] locations, SplitHeads heads) {
        static Homes of(Allocation a) {
            int[] locations = new int[a.function().valueCount()];
            SplitHeads heads = new SplitHeads();
            for (int v = 0; v < locations.length; v++) {
                locations[v] = a.location(v);
                if (a.head(v) != Location.NONE) heads.add(v, a.head(v), a.headEnd(v));
            }
            return new Homes(locations, heads);
        }
    }

    private static RegisterOccupancy occupancy(Allocation a) {
        Homes h = Homes.of(a);
        return new RegisterOccupancy(h.locations(), a.liveIntervals(), h.heads());
    }

    /** {@code a} with its locations and heads, and {@code reloads} for its pieces. */
    private static Allocation rebuilt(Allocation a, Reloads reloads) {
        Homes h = Homes.of(a);
        return new Allocation(a.function(), h.locations(), a.slotCount(), a.usedRegisters(), null, a.liveIntervals(),
                h.heads(), reloads);
    }
}
