package dev.kiln.ir.pass;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passes of one pipeline share a function's control-flow graph while none of them changes its blocks. */
class ControlFlowFactsTest {
    /** Redundant arithmetic and a redundant load in a loop, so value numbering and load elimination both change it. */
    private static final String WAT = """
            (module (memory 1)
              (func (param $p i32) (result i32) (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (i32.add (i32.mul (local.get $p) (i32.const 3))
                                                                 (i32.mul (local.get $p) (i32.const 3)))))
                  (local.set $s (i32.add (local.get $s) (i32.add (i32.load (local.get $p)) (i32.load (local.get $p)))))
                  (br_if $l (i32.lt_u (local.get $s) (i32.const 1000))))
                (local.get $s)))""";

    private static IrFunction optimised() {
        IrFunction f = IrBuilder.build(ValidatedModule.of(Wat.compile(WAT)), 0);
        Optimizer.optimize(f);
        return f;
    }

    @Test
    void valueNumberingAndLoadEliminationKeepTheGraphTheyShare() {
        IrFunction f = optimised();
        ControlFlowFacts facts = new ControlFlowFacts(f);
        ControlFlowGraph shared = facts.cfg();
        assertTrue(new GlobalValueNumbering().run(f, facts));
        assertSame(shared, facts.cfg());
        DominatorTree tree = facts.dominatorTree();
        assertTrue(new RedundantLoadElimination().run(f, facts));
        assertSame(shared, facts.cfg());
        assertSame(tree, facts.dominatorTree());
    }

    @Test
    void aPassThatChangesTheFunctionWithoutSayingItKeepsTheBlocksDropsThem() {
        IrFunction f = optimised();
        ControlFlowFacts facts = new ControlFlowFacts(f);
        ControlFlowGraph before = facts.cfg();
        // moves the loop's invariant multiply into a new preheader: the graph changes
        assertTrue(new LoopInvariantCodeMotion().run(f, facts));
        assertNotSame(before, facts.cfg());
        ControlFlowGraph after = facts.cfg();
        // a pass without its own run(f, facts) that changed nothing keeps them
        assertFalse(new BranchInversion().run(f, facts));
        assertSame(after, facts.cfg());
    }
}
