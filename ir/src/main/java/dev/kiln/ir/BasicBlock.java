package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A basic block: parameters (SSA values bound by incoming edges, in place of phi nodes),
 * straight-line instructions, and one terminator.
 */
public final class BasicBlock {
    public final int id;
    public int[] params;
    public final List<Instruction> instructions = new ArrayList<>();
    public Terminator terminator;
    /**
     * Entering this block consumes one unit of fuel when fuel is metered: set on the entry block
     * and on the blocks that carry loop back-edges (see {@link dev.kiln.ir.pass.FuelPoints}).
     */
    public boolean fuelPoint;

    BasicBlock(int id, int[] params) {
        this.id = id;
        this.params = params;
    }

    @Override
    public String toString() {
        return "block" + id;
    }
}
