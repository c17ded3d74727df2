package dev.kiln.ir.pass;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.Terminator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LoopSplitting} on a function of many loops: each split, the blocks it adds laid out in place, in linear work. */
class LoopSplittingTest {
    /** One register for every type: two values live in a loop already crowd it. */
    private static final LoopSplitting.Registers ONE_REGISTER = new LoopSplitting.Registers() {
        @Override
        public int count(ValType type, boolean acrossCalls) {
            return 1;
        }

        @Override
        public boolean isCall(Instruction i) {
            return false;
        }
    };

    /**
     * 3 000 loops one after another, each reading both parameters, each entered by the branch that ends
     * the loop before it: every loop is split and every entry edge gets a jump block of its own. Finding
     * each header by a search of the headers so far and inserting each jump block by a search of the layout
     * took steps in proportion to the loops for every loop (about 9 million here); now each back edge,
     * loop block and laid-out block is one step.
     */
    @Test
    void manyLoopsAreSplitInWorkInProportionToTheirBlocks() {
        int loops = 3_000;
        String wat = "(module (func (param i32 i32) (result i32) "
                + "(loop $l (br_if $l (i32.add (local.get 0) (local.get 1)))) ".repeat(loops) + "(local.get 0)))";
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f);
        Set<BasicBlock> before = new HashSet<>(f.blocks);
        LoopSplitting pass = new LoopSplitting(ONE_REGISTER);
        assertTrue(pass.run(f));
        IrVerifier.verify(vm.module(), f);
        int jumps = 0;
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            if (before.contains(b)) continue;
            jumps++;
            // laid out right after the block whose edge it took, which branches to it
            BasicBlock from = f.blocks.get(i - 1);
            boolean leadsHere = false;
            for (Edge e : from.terminator.edges()) leadsHere |= e.target == b;
            assertTrue(leadsHere, "block " + b.id + " follows block " + from.id);
            assertTrue(b.terminator instanceof Terminator.Jump);
        }
        assertTrue(jumps >= loops - 1, jumps + " jump blocks");
        long blocks = f.blocks.size();
        assertTrue(pass.work() <= 4 * blocks, pass.work() + " steps for " + blocks + " blocks");
        assertEquals(loops + 1, countParams(f), "each loop header carries its own copy of the two values");
    }

    private static int countParams(IrFunction f) {
        int headersWithTwo = 0;
        for (BasicBlock b : f.blocks) if (b.params.length == 2) headersWithTwo++;
        return headersWithTwo;
    }
}
