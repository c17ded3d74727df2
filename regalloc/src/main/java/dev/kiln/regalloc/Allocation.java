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

    Allocation(IrFunction function, int[] locations, int slotCount, BitSet usedRegisters, boolean[] unallocated,
               LiveIntervals liveIntervals) {
        this.function = function;
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

    /** The value's location, or {@link Location#NONE} when it is never used. */
    public int location(int value) {
        return locations[value];
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
