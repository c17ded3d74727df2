package dev.kiln.regalloc;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrPrinter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves an allocation correct by abstract interpretation: it tracks which value each location
 * holds along every path (edge moves bind parameters in parallel; calls clobber the registers the
 * register file says they clobber; paths that disagree about a location make it unknown) and
 * checks that every use finds its value in the value's location at the use's position (a split
 * value's head register up to the head's end, its home slot after; its definition writes both; a
 * reload, {@link Allocation#reloadsAt}, reads the home slot and writes its piece's register).
 * Used by tests.
 */
public final class AllocationChecker {
    private static final int UNKNOWN = -1;

    private AllocationChecker() {
    }

    /** Throws {@link IllegalStateException} at the first use that could read the wrong value. */
    public static void check(Allocation a, RegisterFile rf) {
        IrFunction f = a.function();
        int[] copyOf = PureCopies.array(f);
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        Map<BasicBlock, Map<Integer, Integer>> in = new HashMap<>();
        Map<Integer, Integer> entryState = new HashMap<>();
        for (int p : f.entry().params) entryState.put(a.location(p), p);
        in.put(f.entry(), entryState);
        LinearOrder order = a.liveIntervals().order();
        List<BasicBlock> work = new ArrayList<>(List.of(cfg.reversePostorder()));
        int guard = 0;
        while (!work.isEmpty()) {
            if (++guard > 1_000_000) throw new IllegalStateException("checker did not converge");
            BasicBlock b = work.remove(0);
            Map<Integer, Integer> state = new HashMap<>(in.getOrDefault(b, Map.of()));
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                int at = order.instructionUse(b, k);
                reload(a, copyOf, state, at, b);
                for (int kArg = 0; kArg < i.argCount(); kArg++) { int arg = i.arg(kArg); expect(a, copyOf, state, arg, at, b, IrPrinter.instruction(i)); }
                long scratch = rf.scratchClobbers(i);
                for (int kArg = 0; kArg < i.argCount(); kArg++) { int arg = i.arg(kArg); notScratch(a, arg, at, scratch, b, IrPrinter.instruction(i)); }
                if (!rf.resultsFollowScratch(i)) for (int r : i.results()) notScratch(a, r, at, scratch, b, IrPrinter.instruction(i));
                clobber(state, scratch);
                if (LiveIntervals.isCall(i)) state.replaceAll((l, v) -> Location.isRegister(l) && (v == UNKNOWN || rf.isClobberedByCalls(l, f.typeOf(v))) ? UNKNOWN : v);
                for (int r : i.results()) {
                    // a split value is written to its head register and stored to its home slot
                    int l = a.location(r);
                    if (l != Location.NONE) state.put(l, r);
                    if (a.head(r) != Location.NONE) state.put(a.head(r), r);
                }
            }
            int at = order.terminatorUse(b);
            reload(a, copyOf, state, at, b);
            for (int v : b.terminator.operands()) expect(a, copyOf, state, v, at, b, "terminator");
            long scratch = rf.scratchClobbers(b.terminator);
            for (int v : b.terminator.operands()) notScratch(a, v, at, scratch, b, "terminator");
            for (Edge e : b.terminator.edges()) {
                for (int v : e.args) notScratch(a, v, at, scratch, b, "edge to " + e.target);
                for (int p : e.target.params) notScratch(a, p, at, scratch, b, "edge to " + e.target);
            }
            clobber(state, scratch);
            for (Edge e : b.terminator.edges()) {
                Map<Integer, Integer> out = new HashMap<>(state);
                for (int k = 0; k < e.argCount(); k++) expect(a, copyOf, state, e.arg(k), at, b, "edge to " + e.target);
                for (int k = 0; k < e.argCount(); k++) {
                    int l = a.location(e.target.params[k]);
                    if (l != Location.NONE) out.put(l, e.target.params[k]);
                }
                Map<Integer, Integer> old = in.get(e.target);
                Map<Integer, Integer> merged = old == null ? out : meet(old, out, copyOf);
                if (!merged.equals(old)) {
                    in.put(e.target, merged);
                    if (!work.contains(e.target)) work.add(e.target);
                }
            }
        }
    }

    /** The loads before the code at {@code at}: each value must be in its home slot, and its piece's register then holds it. */
    private static void reload(Allocation a, int[] copyOf, Map<Integer, Integer> state, int at, BasicBlock b) {
        for (int v : a.reloadsAt(at)) {
            expectIn(a, copyOf, state, v, a.location(v), b, "a reload");
            state.put(a.location(v, at), v);
        }
    }

    /** Registers an instruction overwrites as scratch hold nothing known after it. */
    private static void clobber(Map<Integer, Integer> state, long scratch) {
        if (scratch == 0) return;
        state.replaceAll((l, v) -> Location.isRegister(l) && l < 64 && (scratch & 1L << l) != 0 ? UNKNOWN : v);
    }

    /** An operand or result of an instruction never lives in a register the instruction uses as scratch. */
    private static void notScratch(Allocation a, int v, int at, long scratch, BasicBlock b, String where) {
        int l = a.location(v, at);
        if (Location.isRegister(l) && l < 64 && (scratch & 1L << l) != 0) {
            throw new IllegalStateException("allocation error in function " + a.function().index + ", " + b + " at " + where
                    + ": v" + v + " is in " + Location.toString(l) + ", which the instruction uses as scratch");
        }
    }

    /**
     * Where paths meet: a location keeps a value when every path has it there or a pure copy of it
     * (two loops split from one value each bind their own copy of it, and the copies, spilled, share
     * its slot: where the loops' exits meet, the slot holds the value they both copy).
     */
    private static Map<Integer, Integer> meet(Map<Integer, Integer> x, Map<Integer, Integer> y, int[] copyOf) {
        Map<Integer, Integer> out = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : x.entrySet()) {
            Integer other = y.get(e.getKey());
            int mine = e.getValue();
            int kept = other == null || mine == UNKNOWN || other == UNKNOWN ? UNKNOWN : commonCopy(copyOf, mine, other);
            out.put(e.getKey(), kept);
        }
        for (Integer k : y.keySet()) out.putIfAbsent(k, UNKNOWN);
        return out;
    }

    /**
     * The nearest value that both {@code x} and {@code y} hold the bits of (each is it or a pure copy of
     * it, through any chain of copies), or {@link #UNKNOWN}.
     */
    private static int commonCopy(int[] copyOf, int x, int y) {
        for (int h = x, hops = 0; h >= 0 && hops < copyOf.length; h = copyOf[h], hops++) if (holds(copyOf, y, h)) return h;
        return UNKNOWN;
    }

    /**
     * A location holding a pure copy of {@code v} ({@link PureCopies}: a parameter every edge binds
     * to {@code v} or to itself) holds {@code v}'s bits.
     */
    private static boolean holds(int[] copyOf, int held, int v) {
        for (int h = held, hops = 0; h >= 0 && hops < copyOf.length; h = copyOf[h], hops++) if (h == v) return true;
        return false;
    }

    private static void expect(Allocation a, int[] copyOf, Map<Integer, Integer> state, int v, int at, BasicBlock b, String where) {
        int l = a.location(v, at);
        if (l == Location.NONE && a.isUnallocated(v)) return; // encoded as an immediate, never read from a location
        expectIn(a, copyOf, state, v, l, b, where);
    }

    private static void expectIn(Allocation a, int[] copyOf, Map<Integer, Integer> state, int v, int l, BasicBlock b, String where) {
        Integer held = state.get(l);
        if (l == Location.NONE || held == null || !holds(copyOf, held, v)) {
            throw new IllegalStateException("allocation error in function " + a.function().index + ", " + b + " at " + where
                    + ": v" + v + " should be in " + Location.toString(l) + ", which holds "
                    + (held == null ? "nothing" : held == UNKNOWN ? "an unknown value" : "v" + held));
        }
    }
}
