package dev.kiln.regalloc;

import dev.kiln.ir.IrFunction;

import java.util.BitSet;

/** The result of register allocation: a {@link Location} for every value, and the frame it needs. */
public final class Allocation {
    private final IrFunction function;
    private final int[] locations;
    private final int slotCount;
    private final BitSet usedRegisters;
    private final boolean[] unallocated;
    private final LiveIntervals liveIntervals;
    private final SplitHeads heads;
    private final Reloads reloads;

    Allocation(IrFunction function, int[] locations, int slotCount, BitSet usedRegisters, boolean[] unallocated,
               LiveIntervals liveIntervals, SplitHeads heads) {
        this(function, locations, slotCount, usedRegisters, unallocated, liveIntervals, heads, new Reloads());
    }

    Allocation(IrFunction function, int[] locations, int slotCount, BitSet usedRegisters, boolean[] unallocated,
               LiveIntervals liveIntervals, SplitHeads heads, Reloads reloads) {
        this.function = function;
        this.heads = heads;
        this.reloads = reloads;
        this.liveIntervals = liveIntervals;
        this.locations = locations;
        this.slotCount = slotCount;
        this.usedRegisters = usedRegisters;
        this.unallocated = unallocated;
    }

    /** True when the value was deliberately left without a location (the backend encodes it otherwise). */
    public boolean isUnallocated(int value) {
        return unallocated != null && unallocated[value];
    }

    public IrFunction function() {
        return function;
    }

    /**
     * The value's home location, or {@link Location#NONE} when it is never used: where it is from its
     * definition on (for a value with a head, {@link #head}, a stack slot it is stored to at its definition).
     */
    public int location(int value) {
        return locations[value];
    }

    /**
     * Where the value is read at {@code position} ({@link LinearOrder}): its head register up to the
     * head's end, the register of a piece it was reloaded into ({@link #reloadsAt}) within the piece,
     * its home location elsewhere. The definition ({@code position} its instruction's use position)
     * writes the head register when there is one.
     */
    public int location(int value, int position) {
        if (heads.has(value) && position <= heads.end(value)) return heads.register(value);
        if (reloads.has(value)) {
            int r = reloads.register(value, position);
            if (r != Location.NONE) return r;
        }
        return locations[value];
    }

    /**
     * The values loaded from their home slot into a register just before what is at {@code position}
     * is lowered (an instruction's use position, or a terminator's): from there on, up to the end of the
     * piece, {@link #location(int, int)} is that register. Empty for most positions.
     */
    public int[] reloadsAt(int position) {
        return reloads.at(position);
    }

    /** The number of stretches in which a spilled value is read from a register it was reloaded into. */
    public int reloadCount() {
        return reloads.size();
    }

    /**
     * The register the value's definition writes when the value was split: it is read from there up to
     * {@link #headEnd} and its definition also stores it to its home slot ({@link #location(int)});
     * {@link Location#NONE} for a value with one location for its whole life.
     */
    public int head(int value) {
        return heads.register(value);
    }

    /** The last position at which a value with a {@link #head} is read from the head register. */
    public int headEnd(int value) {
        return heads.end(value);
    }

    /** The number of values split into a head register and a home slot. */
    public int splitCount() {
        return heads.size();
    }

    /** Number of 8-byte stack slots the frame needs (the highest slot used, plus one). */
    public int slotCount() {
        return slotCount;
    }

    /** The liveness the allocation was made from. */
    public LiveIntervals liveIntervals() {
        return liveIntervals;
    }

    /** Registers assigned to any value (a prologue saves the callee-saved ones among them). */
    public BitSet usedRegisters() {
        return (BitSet) usedRegisters.clone();
    }
}
