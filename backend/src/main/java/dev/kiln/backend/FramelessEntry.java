package dev.kiln.backend;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.LinearOrder;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.LoweringFacts;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Shrink-wrapping at a function's entry: the blocks a function runs before its prologue, when
 * some path from the entry returns without needing a frame (docs/design-changes.md, "Code before
 * the prologue"). Such blocks compute with registers only: their instructions cannot trap, call or
 * touch memory or a stack slot, they write no register the function would have to save
 * ({@code writable} says which it may write), and the parameters they see are where they arrive.
 * Their returns need no epilogue; the one way on from them into the rest of the function runs the
 * prologue first and continues at {@link #framed}. nqueens' dead end ({@code free == 0: return 0})
 * and tak's base case are such paths: they push and pop nothing.
 *
 * <p>The blocks are found from the entry, a block joining only when every block that can jump to
 * its code is already in, so none of them is reached from code with a frame (each is emitted once,
 * before the prologue). A way out to a block with no instructions that reaches a return through
 * jumps writing only {@code writable} registers is a {@link ReturnPath}, emitted as a return too.
 * At most {@link #MAX_BLOCKS} blocks, and exactly one block outside them with a frame: else none.
 * A function that catches, meters fuel at its entry or loops back to it has none.
 */
public final class FramelessEntry {
    /** At most this many blocks run before the prologue (the search stays linear in the function). */
    static final int MAX_BLOCKS = 8;

    /**
     * From a block with no instructions to a return through jumps: the blocks in order, the last one
     * returning at most one value, in a register.
     */
    public record ReturnPath(List<BasicBlock> blocks) {
        public BasicBlock last() {
            return blocks.getLast();
        }
    }

    private final BitSet members = new BitSet();
    private final BitSet unshared = new BitSet();
    /** The blocks before the prologue, in layout order. */
    public final List<BasicBlock> blocks;
    /** The ways out to a return, by the block they start at; those a branch reaches get a label. */
    public final Map<BasicBlock, ReturnPath> returns;
    /** The return paths a branch reaches (a jump emits its path in place). */
    public final Set<BasicBlock> branchReturns;
    /** Where the code with a frame continues after the prologue. */
    public final BasicBlock framed;
    /** The block whose jump to {@link #framed} carries edge moves (made after the prologue), or null. */
    public final BasicBlock movesFrom;

    /** The parameters the prologue moves (value to the register it arrives in): code before the prologue reads them there. */
    private final Map<Integer, Integer> arrivals;

    private FramelessEntry(BitSet members, List<BasicBlock> layout, Map<BasicBlock, ReturnPath> returns, Set<BasicBlock> branchReturns,
                           BasicBlock framed, BasicBlock movesFrom, Map<Integer, Integer> arrivals) {
        this.arrivals = arrivals;
        this.members.or(members);
        this.blocks = layout.stream().filter(b -> members.get(b.id)).toList();
        this.returns = returns;
        this.branchReturns = branchReturns;
        this.framed = framed;
        this.movesFrom = movesFrom;
    }

    public boolean contains(BasicBlock b) {
        return members.get(b.id);
    }

    /** True when only code before the prologue reaches {@code b}: a return path that framed code does not share. */
    public boolean onlyBeforePrologue(BasicBlock b) {
        return unshared.get(b.id);
    }

    /** The register parameter {@code v} arrives in when the prologue moves it elsewhere, else {@code location}. */
    public int beforePrologue(int v, int location) {
        return arrivals.getOrDefault(v, location);
    }

    /** What the search reads: the function, its allocation and lowering facts, where its parameters arrive. */
    private record Search(MachineFunction<?> fn, IrFunction f, Allocation alloc, LoweringFacts facts, LinearOrder order,
                          IntPredicate writable, long keptMask, int[] codePredecessors, BasicBlock[] byId, Map<Integer, Integer> arrivals,
                          Map<BasicBlock, Boolean> judged, Map<BasicBlock, Boolean> jumps, Map<BasicBlock, Optional<ReturnPath>> paths) {
        /** {@link #paramsWritable} (the entry's are {@link #arrivals}) and {@link #computesInRegisters}, once per block (the search asks again as the region grows). */
        boolean computes(BasicBlock b) {
            return judged.computeIfAbsent(b, x -> (x == f.entry() || paramsWritable(this, x)) && computesInRegisters(this, x));
        }

        /** True when block {@code b}'s jump moves only into registers code before the prologue may write ({@link #writesOnly}), once per block. */
        boolean jumpWritesOnly(BasicBlock b) {
            return jumps.computeIfAbsent(b, x -> writesOnly(this, ((Terminator.Jump) x.terminator).target, order.terminatorUse(x)));
        }

        /** {@link #returnPath}, once per block. */
        ReturnPath path(BasicBlock d) {
            return paths.computeIfAbsent(d, x -> Optional.ofNullable(returnPath(this, x))).orElse(null);
        }

        /** True for a register a parameter the prologue moves arrived in: kept until the prologue. */
        boolean kept(int register) {
            return register < 64 && (keptMask & 1L << register) != 0;
        }

        /** The blocks of {@code in}, in the function's block order. */
        List<BasicBlock> members(BitSet in) {
            List<BasicBlock> out = new ArrayList<>(in.cardinality());
            for (int id = in.nextSetBit(0); id >= 0; id = in.nextSetBit(id + 1)) out.add(byId[id]);
            return out;
        }

        /** Where {@code v} is before the prologue: a parameter the prologue moves is where it arrives. */
        int location(int v, int position) {
            Integer arrived = arrivals.get(v);
            return arrived != null ? arrived : alloc.location(v, position);
        }

        BasicBlock destination(Edge e) {
            return facts.destination(e.target);
        }
    }

    /**
     * The blocks {@code f} can run before its prologue, or null when it has none worth it (no return
     * among them, or more than one way on into code with a frame).
     *
     * @param writable the registers code before the prologue may write (those a caller does not expect kept)
     */
    static FramelessEntry find(MachineFunction<?> fn, IntPredicate writable) {
        IrFunction f = fn.f;
        BasicBlock entry = f.entry();
        if (fn.catchesExceptions() || entry.fuelPoint || fn.facts.isLoopHeader(entry)) return null;
        List<BasicBlock> layout = fn.facts.layout();
        Map<Integer, Integer> arrivals = arrivals(fn, writable);
        if (arrivals == null) return null;
        long kept = 0; // the registers of parameters the prologue moves: kept until it does
        for (int r : arrivals.values()) kept |= 1L << r;
        Search s = new Search(fn, f, fn.alloc, fn.facts, fn.alloc.liveIntervals().order(), writable, kept, new int[f.blockIdCount()],
                byId(f), arrivals, new HashMap<>(), new HashMap<>(), new HashMap<>());
        if (!s.computes(entry)) return null;
        countCodePredecessors(s, layout);
        BitSet in = new BitSet();
        in.set(entry.id);
        for (boolean grew = true; grew; ) {
            grew = false;
            int framed = framedDestinations(s, in).size();
            for (BasicBlock d : exits(s, in)) {
                BitSet more = grown(s, in, d);
                if (more != null && framedDestinations(s, more).size() <= framed) {
                    in = more;
                    grew = true;
                    break;
                }
            }
        }
        return of(s, in, layout);
    }

    /** The region {@code in} as a result, or null when it has no return or not exactly one way into framed code. */
    private static FramelessEntry of(Search s, BitSet in, List<BasicBlock> layout) {
        Set<BasicBlock> framed = framedDestinations(s, in);
        if (framed.size() != 1) return null;
        BasicBlock target = framed.iterator().next();
        Map<BasicBlock, ReturnPath> returns = new LinkedHashMap<>();
        Set<BasicBlock> branchReturns = new LinkedHashSet<>();
        BasicBlock movesFrom = null;
        int waysIn = 0;
        boolean returnsEarly = false;
        for (BasicBlock b : s.members(in)) {
            if (b.terminator instanceof Terminator.Return) returnsEarly = true;
            for (Edge e : b.terminator.edges()) {
                BasicBlock d = s.destination(e);
                if (in.get(d.id)) continue;
                if (d == target) {
                    waysIn++;
                    if (e.argCount() > 0) movesFrom = b;
                    continue;
                }
                returns.put(d, s.path(d));
                if (b.terminator instanceof Terminator.Branch) branchReturns.add(d);
                returnsEarly = true;
            }
        }
        if (!returnsEarly || movesFrom != null && waysIn > 1) return null;
        FramelessEntry entry = new FramelessEntry(in, layout, returns, branchReturns, target, movesFrom, s.arrivals());
        BitSet before = (BitSet) in.clone(); // the blocks only code before the prologue reaches, by the blocks jumping to them
        for (ReturnPath p : returns.values()) {
            for (BasicBlock b : p.blocks()) {
                if (before.get(b.id) || !reachedOnlyFrom(s, before, b)) break;
                before.set(b.id);
                entry.unshared.set(b.id);
            }
        }
        return entry;
    }

    /**
     * {@code in} with {@code d}, and with what then joins among the blocks {@code d} leads to (so a
     * branch to a return of a constant comes in with its branch), at most {@link #MAX_BLOCKS}; null
     * when {@code d} cannot join.
     */
    private static BitSet grown(Search s, BitSet in, BasicBlock d) {
        if (in.cardinality() >= MAX_BLOCKS || !joins(s, in, d)) return null;
        BitSet more = (BitSet) in.clone();
        more.set(d.id);
        for (boolean grew = true; grew && more.cardinality() < MAX_BLOCKS; ) {
            grew = false;
            int framed = framedDestinations(s, more).size();
            for (BasicBlock x : exits(s, more)) {
                if (!joins(s, more, x)) continue;
                more.set(x.id);
                if (framedDestinations(s, more).size() <= framed) {
                    grew = true;
                    break;
                }
                more.clear(x.id);
            }
        }
        return more;
    }

    /** The destinations outside {@code in} its blocks lead to. */
    private static Set<BasicBlock> exits(Search s, BitSet in) {
        Set<BasicBlock> out = new LinkedHashSet<>();
        for (BasicBlock b : s.members(in)) {
            for (Edge e : b.terminator.edges()) if (!in.get(s.destination(e).id)) out.add(s.destination(e));
        }
        return out;
    }


    /** Destinations of {@code in}'s edges outside it that are not return paths: where code with a frame starts. */
    private static Set<BasicBlock> framedDestinations(Search s, BitSet in) {
        Set<BasicBlock> out = new LinkedHashSet<>();
        for (BasicBlock b : s.members(in)) {
            for (Edge e : b.terminator.edges()) {
                BasicBlock d = s.destination(e);
                if (in.get(d.id)) continue;
                boolean movesAllowed = !(b.terminator instanceof Terminator.Jump) || s.jumpWritesOnly(b);
                if (!movesAllowed || s.path(d) == null) out.add(d);
            }
        }
        return out;
    }

    /** True when every block whose code jumps or falls to {@code d}'s is in {@code in}. */
    private static boolean reachedOnlyFrom(Search s, BitSet in, BasicBlock d) {
        int fromIn = 0;
        for (BasicBlock b : s.members(in)) {
            for (Edge e : b.terminator.edges()) {
                if (s.destination(e) == d) {
                    fromIn++;
                    break;
                }
            }
        }
        return fromIn == s.codePredecessors()[d.id];
    }

    /** True when {@code d} may run before the prologue beside {@code in}: only blocks of {@code in} jump to it, and it computes in registers. */
    private static boolean joins(Search s, BitSet in, BasicBlock d) {
        return reachedOnlyFrom(s, in, d) && s.computes(d);
    }

    private static boolean paramsWritable(Search s, BasicBlock d) {
        for (int p : d.params) {
            int l = s.alloc().location(p);
            if (l != Location.NONE && !(Location.isRegister(l) && s.writable().test(l) && !s.kept(l)) || s.alloc().head(p) != Location.NONE) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when block {@code b} is no loop header or fuel point, its instructions compute in registers
     * ({@link #registerOnly}), and its terminator is a return of at most one value in a register, a
     * branch on a register or fused comparison, or a jump (whose moves {@link #framedDestinations} judges).
     * A block that returns may also overwrite the register a parameter the prologue moves arrived in
     * (the prologue does not run after it), as long as it does not read that parameter afterwards.
     */
    private static boolean computesInRegisters(Search s, BasicBlock b) {
        if (b.fuelPoint || s.facts().isLoopHeader(b) || reloads(s, b)) return false;
        boolean returns = b.terminator instanceof Terminator.Return;
        Instruction fused = s.fn().fusableCompare(b);
        long written = 0;
        for (int k = 0; k < b.instructions.size(); k++) {
            Instruction i = b.instructions.get(k);
            written = registerOnly(s, i, s.order().instructionUse(b, k), i == fused, returns, written);
            if (written == -1) return false;
        }
        int at = s.order().terminatorUse(b);
        return switch (b.terminator) {
            case Terminator.Return r -> returnsInRegister(s, r, at, written);
            case Terminator.Branch br -> br.ifTrue.argCount() == 0 && br.ifFalse.argCount() == 0
                    && (fused != null || Location.isRegister(s.location(br.condition, at)));
            case Terminator.Jump j -> true;
            default -> false;
        };
    }

    /** True when a spilled value is loaded from its slot anywhere in {@code b} ({@link Allocation#reloadsAt}): that needs the frame. */
    private static boolean reloads(Search s, BasicBlock b) {
        for (int k = 0; k < b.instructions.size(); k++) {
            if (s.alloc().reloadsAt(s.order().instructionUse(b, k)).length > 0) return true;
        }
        return s.alloc().reloadsAt(s.order().terminatorUse(b)).length > 0;
    }

    /** True when {@code v} is a parameter read where it arrived and that register is in {@code written}. */
    private static boolean overwritten(Search s, int v, long written) {
        Integer arrived = s.arrivals().get(v);
        return arrived != null && (written & 1L << arrived) != 0;
    }

    private static boolean returnsInRegister(Search s, Terminator.Return r, int at, long written) {
        return r.values.length == 0 || r.values.length == 1 && Location.isRegister(s.location(r.values[0], at))
                && !overwritten(s, r.values[0], written);
    }

    /**
     * An instruction that computes a value from values in registers (or constants without a
     * location) into a register code before the prologue may write: foldable (no trap, no side effect,
     * no memory, no call), not SIMD, results neither split nor stored (a comparison the branch
     * fuses writes none). Returns {@code written} with the arrival registers it overwrites (only in a
     * block that {@code returns}), or -1 when it cannot run before the prologue.
     */
    private static long registerOnly(Search s, Instruction i, int at, boolean fused, boolean returns, long written) {
        if (!Effects.isFoldable(i.op) || i.op.isSimd() || i.op == Opcode.REF_NULL || i.op == Opcode.REF_IS_NULL) return -1;
        long clobbers = s.fn().scratchClobbers(i); // written before the operands are read
        for (int r = 0; r < 64; r++) {
            if ((clobbers & 1L << r) != 0) written = write(s, r, returns, written);
        }
        if (written == -1) return -1;
        for (int k = 0; k < i.argCount(); k++) {
            int l = s.location(i.arg(k), at);
            if (l == Location.NONE ? !isConstant(s, i.arg(k)) : !Location.isRegister(l) || overwritten(s, i.arg(k), written)) return -1;
        }
        if (fused) return written;
        boolean constant = i.op == Opcode.I32_CONST || i.op == Opcode.I64_CONST || i.op == Opcode.F32_CONST || i.op == Opcode.F64_CONST;
        for (int k = 0; k < i.resultCount(); k++) {
            int r = i.result(k);
            int l = s.alloc().location(r);
            if (s.alloc().head(r) != Location.NONE) return -1;
            if (l == Location.NONE) {
                if (!constant) return -1;
            } else if (!Location.isRegister(l) || (written = write(s, l, returns, written)) == -1) {
                return -1;
            }
        }
        return written;
    }

    /**
     * {@code written} after a write of {@code register} before the prologue, or -1 when that may not
     * be: a register the caller expects kept, or, on a way that may still run the prologue, one a
     * parameter the prologue moves arrived in.
     */
    private static long write(Search s, int register, boolean returns, long written) {
        if (written == -1 || !s.writable().test(register)) return -1;
        if (!s.kept(register)) return written;
        return returns ? written | 1L << register : -1;
    }

    private static boolean isConstant(Search s, int v) {
        return s.facts().intConstant(v) != null || s.facts().floatConstant(v) != null;
    }

    /**
     * The parameters the prologue moves from the register they arrive in (value to that register),
     * or null when one cannot wait for it: a parameter split, or passed on the stack, or moved to a
     * register code before the prologue may write (it could hold a value of that code by then).
     */
    private static Map<Integer, Integer> arrivals(MachineFunction<?> fn, IntPredicate writable) {
        BasicBlock e = fn.f.entry();
        ArgumentPlaces.Parameters places = fn.convention.parameters(fn.f.type());
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (int k = 0; k < places.count(); k++) {
            int v = e.params[k];
            int l = fn.alloc.location(v);
            if (l == Location.NONE) continue;
            if (fn.alloc.head(v) != Location.NONE || places.place(k).onStack()) return null;
            int arrives = places.place(k).register();
            if (l == arrives) continue;
            if (Location.isRegister(l) && writable.test(l)) return null;
            out.put(v, arrives);
        }
        return out;
    }

    /** The path from {@code d} to a return through blocks without instructions (at most four), or null. */
    private static ReturnPath returnPath(Search s, BasicBlock d) {
        List<BasicBlock> path = new ArrayList<>();
        BasicBlock b = d;
        long written = 0;
        for (int hops = 0; hops < 4 && b.instructions.isEmpty() && !b.fuelPoint && !s.facts().isLoopHeader(b); hops++) {
            path.add(b);
            int at = s.order().terminatorUse(b);
            if (b.terminator instanceof Terminator.Return r) return returnsInRegister(s, r, at, written) ? new ReturnPath(List.copyOf(path)) : null;
            if (!(b.terminator instanceof Terminator.Jump j) || (written = moves(s, j.target, at, true, written)) == -1) return null;
            b = j.target.target;
        }
        return null;
    }

    /** True when the moves of {@code e} read registers or constants and write only registers code before the prologue may. */
    private static boolean writesOnly(Search s, Edge e, int at) {
        return moves(s, e, at, false, 0) != -1;
    }

    /**
     * {@code written} after the moves of {@code e} (one parallel move: every source is read before any
     * destination is written), or -1 when they read a slot or write a register they may not ({@link #write}).
     */
    private static long moves(Search s, Edge e, int at, boolean returns, long written) {
        long after = written;
        for (int k = 0; k < e.argCount(); k++) {
            int to = s.alloc().location(e.target.params[k]);
            if (to == Location.NONE) continue;
            if (!Location.isRegister(to) || (after = write(s, to, returns, after)) == -1) return -1;
            int from = s.location(e.arg(k), at);
            if (from == Location.NONE ? !isConstant(s, e.arg(k)) : !Location.isRegister(from) || overwritten(s, e.arg(k), written)) return -1;
        }
        return after;
    }

    private static BasicBlock[] byId(IrFunction f) {
        BasicBlock[] out = new BasicBlock[f.blockIdCount()];
        for (BasicBlock b : f.blocks) out[b.id] = b;
        return out;
    }

    /** Counts, for each block, the blocks whose code jumps or falls to its code (through blocks without code). */
    private static void countCodePredecessors(Search s, List<BasicBlock> layout) {
        BitSet seen = new BitSet();
        for (BasicBlock b : layout) {
            Edge[] edges = b.terminator.edges();
            for (Edge e : edges) {
                BasicBlock d = s.destination(e);
                if (!seen.get(d.id)) s.codePredecessors()[d.id]++;
                seen.set(d.id);
            }
            for (Edge e : edges) seen.clear(s.destination(e).id);
        }
    }
}
