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

    BasicBlock(int id, int[] params) {
        this.id = id;
        this.params = params;
    }

    @Override
    public String toString() {
        return "block" + id;
    }
}
