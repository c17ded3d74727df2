package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.BlockLiveness;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;

/**
 * Linear-scan register allocation (Poletto and Sarkar) over {@link LiveIntervals}, for any
 * {@link RegisterFile}. Intervals are visited by start; an interval takes a free register of its
 * class (one that calls do not clobber, if it lives across a call), else the interval of lowest
 * spill cost among it and the active ones in registers ({@link LiveIntervals#spillCost}: definition
 * and uses weighted by {@code 8^loop depth}, per position of the interval; ties go to the one ending
 * last) is spilled to a stack slot. A victim that an instruction defined keeps its register up to
 * the new interval's start (its head, {@link SplitHeads}: read there from the register, stored to
 * the slot once at its definition; bounded by loops, {@link LoopRanges#holdsUntil}); a new interval
 * spilled at its start lives in the slot for its whole life. A value of two slots (a v128) takes an
 * even slot, so frames whose slot area is 16-byte aligned keep it aligned. Stack slots are reused as soon as
 * their interval ends, lowest first, so frames stay small (with no registers, as in the
 * interpreter, this is the whole job).
 *
 * <p>Hints reduce moves at control-flow edges: a block parameter prefers the location of a
 * value passed to it, and a value passed to an already-allocated parameter prefers that
 * parameter's location; when they do not overlap, the edge move disappears. A backend may also
 * name a preferred register per value (a parameter where it arrives, a call's argument in its
 * argument register, a result in the result register), taken first when it is free.
 *
 * <p>A value live into an exception's landing block (the target of a {@code Throw} or
 * {@code Guarded} handler) always takes a stack slot: the unwinder that reaches the landing block
 * restores no register (docs/design-changes.md, "Exceptions in native code").
 *
 * <p>Values may be precoloured (given a fixed location, e.g. the interpreter's parameters and
 * constants); slots below {@code reservedSlots} are never handed out otherwise.
 */
public final class LinearScan {
    private final IrFunction f;
    private final RegisterFile rf;
    private final LiveIntervals live;
    private final int[] loc;
    private final int[] precolored;
    private final int reservedSlots;
    /** Values that need no location (e.g. constants a backend encodes as immediates); may be null. */
    private final boolean[] unallocated;
    /** Slot occupancy: a slot is free when its bit is clear. */
    private final BitSet busySlots = new BitSet();
    private final BitSet busyRegisters = new BitSet();
    private final BitSet usedRegisters = new BitSet();
    /**
     * For each value the values linked to it by an edge, in edge order: {@code hintKeys} holds
     * {@code value << 32 | k}, sorted, and {@code hintValues[k]} the linked value.
     */
    private final long[] hintKeys;
    private final int[] hintValues;
    /** A preferred register location per value, or null. */
    private final int[] preferred;
    /** Position at which each slot last became free; a spilled victim needs a slot free since its start. */
    private int[] slotFreeSince = new int[0];
    private int maxSlot;
    /** The active values that are not precoloured and hold a register: the only spill candidates. */
    private final ValueList inRegisters = new ValueList();
    /** For each value, the value it is a pure copy of ({@link PureCopies}), or -1. */
    private final Map<Integer, Integer> copyOf;
    /** Values that share the stack slot of the value they copy: their end frees nothing. */
    private final BitSet sharesSlot = new BitSet();
    /** Values live into a landing block, which must live in stack slots; null when the function catches nothing. */
    private final boolean[] liveIntoLanding;
    /** The first pieces of values spilled after their definition, which keep their register until then. */
    private final SplitHeads heads = new SplitHeads();

    private LinearScan(IrFunction f, RegisterFile rf, int[] precolored, int reservedSlots, boolean[] unallocated, int[] preferred) {
        this.unallocated = unallocated;
        this.preferred = preferred;
        this.f = f;
        this.rf = rf;
        this.live = new LiveIntervals(f, rf);
        this.loc = new int[f.valueCount()];
        Arrays.fill(loc, Location.NONE);
        this.precolored = precolored;
        this.reservedSlots = reservedSlots;
        int pairs = 0;
        for (BasicBlock b : f.blocks) for (Edge e : b.terminator.edges()) pairs += 2 * e.args.length;
        this.hintKeys = new long[pairs];
        this.hintValues = new int[pairs];
        edgeHints(f, hintKeys, hintValues);
        this.liveIntoLanding = liveIntoLanding(f);
        this.copyOf = PureCopies.of(f);
        busySlots.set(0, reservedSlots);
        maxSlot = reservedSlots;
    }

    /**
     * Allocates every live value of {@code f}. {@code precolored[v]} is a fixed location or
     * {@link Location#NONE}; may be null.
     */
    public static Allocation allocate(IrFunction f, RegisterFile rf, int[] precolored, int reservedSlots) {
        return new LinearScan(f, rf, precolored, reservedSlots, null, null).run();
    }

    /**
     * Allocates every live value except those marked in {@code unallocated} (which get
     * {@link Location#NONE}), with {@code precolored} values at their fixed locations.
     */
    public static Allocation allocate(IrFunction f, RegisterFile rf, int[] precolored, int reservedSlots, boolean[] unallocated) {
        return new LinearScan(f, rf, precolored, reservedSlots, unallocated, null).run();
    }

    /** Allocates every live value except those marked in {@code unallocated}, which get {@link Location#NONE}. */
    public static Allocation allocate(IrFunction f, RegisterFile rf, boolean[] unallocated) {
        return new LinearScan(f, rf, null, 0, unallocated, null).run();
    }

    /**
     * Allocates every live value except those marked in {@code unallocated}; {@code preferred[v]} is
     * the register location value {@code v} takes when it is free ({@link Location#NONE}: no preference).
     */
    public static Allocation allocate(IrFunction f, RegisterFile rf, boolean[] unallocated, int[] preferred) {
        return new LinearScan(f, rf, null, 0, unallocated, preferred).run();
    }

    public static Allocation allocate(IrFunction f, RegisterFile rf) {
        return allocate(f, rf, null, 0);
    }

    /** The values live into any landing block of an exception handler, or null when there is none. */
    private static boolean[] liveIntoLanding(IrFunction f) {
        boolean[] out = null;
        BlockLiveness liveness = null;
        for (BasicBlock b : f.blocks) {
            Terminator.Handler[] hs = switch (b.terminator) {
                case Terminator.Throw t -> t.handlers;
                case Terminator.Guarded g -> g.handlers;
                default -> null;
            };
            if (hs == null || hs.length == 0) continue;
            if (out == null) {
                out = new boolean[f.valueCount()];
                liveness = new BlockLiveness(f);
            }
            for (Terminator.Handler h : hs) for (int v : liveness.liveIn(h.target().target)) out[v] = true;
        }
        return out;
    }

    /**
     * For each value, the values linked to it by an edge (argument <-> parameter), as sorted keys
     * into {@code values}: memory in proportion to the edges (an array per value cost 16 bytes per value even when empty,
     * as most are).
     */
    private static void edgeHints(IrFunction f, long[] keys, int[] values) {
        int n = 0;
        for (BasicBlock b : f.blocks) {
            for (Edge e : b.terminator.edges()) {
                for (int k = 0; k < e.args.length; k++) {
                    int a = e.args[k], p = e.target.params[k];
                    keys[n] = (long) a << 32 | n;
                    values[n++] = p;
                    keys[n] = (long) p << 32 | n;
                    values[n++] = a;
                }
            }
        }
        Arrays.sort(keys);
    }

    /**
     * The values to allocate by start, values that are not precolored first among equal starts,
     * then by number. Values are mostly numbered in order already; otherwise a heap sort in place:
     * no memory beyond the order itself (boxed values cost 20 bytes per value of a 2.5-million-value
     * body, a key per value 8).
     */
    private int[] allocationOrder() {
        int n = 0;
        for (int v = 0; v < f.valueCount(); v++) if (live.isLive(v) && (unallocated == null || !unallocated[v])) n++;
        int[] order = new int[n];
        n = 0;
        boolean sorted = true;
        for (int v = 0; v < f.valueCount(); v++) {
            if (live.isLive(v) && (unallocated == null || !unallocated[v])) {
                if (n > 0 && !before(order[n - 1], v)) sorted = false;
                order[n++] = v;
            }
        }
        if (!sorted) heapSort(order);
        return order;
    }

    /** True when value a is allocated before value b. */
    private boolean before(int a, int b) {
        if (live.start(a) != live.start(b)) return live.start(a) < live.start(b);
        if (isPrecolored(a) != isPrecolored(b)) return isPrecolored(b);
        return a < b;
    }

    private void heapSort(int[] a) {
        for (int i = a.length / 2 - 1; i >= 0; i--) siftDown(a, i, a.length);
        for (int end = a.length - 1; end > 0; end--) {
            int t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDown(a, 0, end);
        }
    }

    private void siftDown(int[] a, int i, int n) {
        int x = a[i];
        for (int c; (c = 2 * i + 1) < n; i = c) {
            if (c + 1 < n && before(a[c], a[c + 1])) c++;
            if (!before(x, a[c])) break;
            a[i] = a[c];
        }
        a[i] = x;
    }

    private Allocation run() {
        int[] order = allocationOrder();
        ActiveIntervals active = new ActiveIntervals(live.ends());
        for (int v : order) {
            int start = live.start(v);
            while (!active.isEmpty() && active.peekEnd() < start) {
                int done = active.poll();
                inRegisters.remove(done);
                release(done);
            }
            int l = isPrecolored(v) ? precolored[v] : choose(v, active);
            assign(v, l);
            active.add(v);
            if (Location.isRegister(l) && !isPrecolored(v)) inRegisters.add(v);
        }
        Reloads reloads = ReloadPlanner.plan(f, rf, live, loc, heads, usedRegisters, liveIntoLanding != null);
        return new Allocation(f, loc, maxSlot, usedRegisters, unallocated, live, heads, reloads);
    }

    private boolean isPrecolored(int v) {
        return precolored != null && precolored[v] != Location.NONE;
    }

    private void assign(int v, int l) {
        loc[v] = l;
        if (Location.isRegister(l)) {
            busyRegisters.set(l);
            usedRegisters.set(l);
        } else {
            int s = Location.slotIndex(l);
            int w = rf.slotsFor(f.typeOf(v));
            busySlots.set(s, s + w);
            maxSlot = Math.max(maxSlot, s + w);
        }
    }

    private void release(int v) {
        int l = loc[v];
        if (sharesSlot.get(v)) return; // the copied value keeps the slot
        if (Location.isRegister(l)) {
            busyRegisters.clear(l);
        } else if (Location.isSlot(l)) {
            int s = Location.slotIndex(l);
            int w = rf.slotsFor(f.typeOf(v));
            if (s >= reservedSlots) {
                busySlots.clear(s, s + w);
                if (s + w > slotFreeSince.length) {
                    int old = slotFreeSince.length;
                    slotFreeSince = Arrays.copyOf(slotFreeSince, Math.max(s + w, old * 2));
                    Arrays.fill(slotFreeSince, old, slotFreeSince.length, -1);
                }
                for (int k = s; k < s + w; k++) slotFreeSince[k] = live.end(v);
            }
        }
    }

    private boolean usable(int reg, int v) {
        return !busyRegisters.get(reg) && fits(reg, v);
    }

    /** True when nothing in the value's interval overwrites {@code reg} (a call it crosses, an instruction's scratch use). */
    private boolean fits(int reg, int v) {
        return !(live.crossesCall(v) && rf.isClobberedByCalls(reg, f.typeOf(v))) && !live.scratchClobbered(reg, v);
    }

    private int choose(int v, ActiveIntervals active) {
        ValType t = f.typeOf(v);
        int[] regs = rf.allocatable(rf.classOf(t));
        int width = rf.slotsFor(t);
        if (liveIntoLanding != null && liveIntoLanding[v]) return Location.slot(freeSlot(width, live.start(v)));
        // 0. the register the backend prefers for it
        if (preferred != null && Location.isRegister(preferred[v]) && contains(regs, preferred[v]) && usable(preferred[v], v)) {
            return preferred[v];
        }
        // 1. a hinted location that is free
        int first = Arrays.binarySearch(hintKeys, (long) v << 32);
        for (int k = first < 0 ? -first - 1 : first; k < hintKeys.length && (int) (hintKeys[k] >>> 32) == v; k++) {
            int hl = loc[hintValues[(int) hintKeys[k]]];
            if (hl == Location.NONE) continue;
            if (Location.isRegister(hl) && contains(regs, hl) && usable(hl, v)) return hl;
            if (Location.isSlot(hl) && regs.length == 0 && slotFree(Location.slotIndex(hl), width)) return hl;
        }
        // 2. any free register
        for (int r : regs) if (usable(r, v)) return Location.register(r);
        // 3. spill: the active interval in a usable register of lowest spill cost gives up its register,
        // unless v costs less (LiveIntervals.spillCost: uses weighted by loop depth, per position)
        if (regs.length > 0) {
            // only the few active values in registers are candidates; among equal costs the one ending
            // last, then the first in the heap's order
            int victim = -1;
            double victimCost = 0;
            for (int i = 0; i < inRegisters.size(); i++) {
                int a = inRegisters.get(i);
                int al = loc[a];
                if (!contains(regs, al) || !fits(al, v)) continue;
                double cost = live.spillCost(a);
                if (victim == -1 || cost < victimCost
                        || cost == victimCost && (live.end(a) > live.end(victim)
                        || live.end(a) == live.end(victim) && active.position(a) < active.position(victim))) {
                    victim = a;
                    victimCost = cost;
                }
            }
            double own = live.spillCost(v);
            if (victim != -1 && (victimCost < own || victimCost == own && live.end(victim) > live.end(v))) {
                int reg = loc[victim];
                busyRegisters.clear(reg);
                inRegisters.remove(victim);
                // the victim lives in the slot for its whole interval, so the slot must be free since its start
                assign(victim, spillSlot(victim));
                keepHead(victim, reg, live.start(v) - 1);
                return Location.register(reg);
            }
        }
        // 4. a stack slot
        return spillSlot(v);
    }

    /**
     * Splits a victim defined by an instruction (its start is a definition position, odd): it keeps
     * {@code reg} from its definition up to {@code last} (the position before the register's next
     * value starts), or less where a loop entered after the definition reaches back over that point
     * ({@link LoopRanges#holdsUntil}); its uses there read the register, and its definition stores it
     * to its slot once. A value with no use in that stretch keeps no head.
     */
    private void keepHead(int victim, int reg, int last) {
        int s = live.start(victim);
        if ((s & 1) == 0) return; // a block parameter: edges write its slot directly
        if (live.firstUse(victim) > last) return; // no read before the register goes: the definition writes the slot
        int end = live.loops().holdsUntil(s, last);
        if (end >= live.firstUse(victim)) heads.add(victim, reg, end);
    }

    /**
     * A stack slot for {@code v} for its whole interval: the slot of the value it copies when that
     * value is in one for longer (the two always hold the same bits, and the move between them
     * disappears), else a free one.
     */
    private int spillSlot(int v) {
        int c = copyOf.getOrDefault(v, -1);
        // only where registers exist: a slots-only frame (the interpreter's) keeps one slot per value
        if (c >= 0 && rf.allocatable(rf.classOf(f.typeOf(v))).length > 0 && Location.isSlot(loc[c]) && !sharesSlot.get(c) && live.end(c) >= live.end(v)
                && (liveIntoLanding == null || !liveIntoLanding[v])) {
            sharesSlot.set(v);
            return loc[c];
        }
        return Location.slot(freeSlot(rf.slotsFor(f.typeOf(v)), live.start(v)));
    }

    private boolean slotFree(int s, int width) {
        return slotFree(s, width, Integer.MAX_VALUE);
    }

    /** True when slots {@code s..s+width-1} are free now and have been since before {@code since}. */
    private boolean slotFree(int s, int width, int since) {
        if (s < reservedSlots || s % width != 0) return false; // a 16-byte value takes an even slot (16-byte aligned)
        for (int k = 0; k < width; k++) {
            if (busySlots.get(s + k)) return false;
            if (s + k < slotFreeSince.length && slotFreeSince[s + k] >= since) return false;
        }
        return true;
    }

    private int freeSlot(int width, int since) {
        int s = busySlots.nextClearBit(reservedSlots);
        while (!slotFree(s, width, since)) s = busySlots.nextClearBit(s + 1);
        return s;
    }

    private static boolean contains(int[] regs, int r) {
        for (int x : regs) if (x == r) return true;
        return false;
    }
}
