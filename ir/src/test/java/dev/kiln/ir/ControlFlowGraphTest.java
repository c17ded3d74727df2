package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ControlFlowGraph}'s dominators: the same as their definition, and found in near-linear work. */
class ControlFlowGraphTest {
    @Test
    void immediateDominatorsOfRandomGraphsAreThoseOfTheDefinition() {
        Random random = new Random(13);
        for (int round = 0; round < 400; round++) {
            IrFunction f = randomFunction(random, 1 + random.nextInt(40));
            ControlFlowGraph cfg = new ControlFlowGraph(f);
            boolean[][] dom = dominatorSets(f, cfg);
            for (BasicBlock b : f.blocks) {
                if (!cfg.isReachable(b)) continue;
                assertEquals(definedImmediateDominator(f, dom, b), cfg.immediateDominator(b), "round " + round + ", block " + b.id);
                for (BasicBlock a : f.blocks) {
                    if (cfg.isReachable(a)) assertEquals(dom[b.id][a.id], cfg.dominates(a, b), "round " + round);
                }
            }
        }
    }

    /**
     * 10 000 loops nested in one another: each header is entered from the header around it and from the
     * block after the loop inside it, whose dominators run down every inner loop. Cooper–Harvey–Kennedy's
     * iteration (used before) walked those chains at each join, about n²/2 = 50 million steps per build;
     * Lengauer–Tarjan's take a small multiple of the blocks.
     */
    @Test
    void dominatorsOfDeeplyNestedLoopsTakeWorkInProportionToTheBlocks() {
        int depth = 10_000;
        String wat = "(module (func (param i32) " + "(loop $l ".repeat(depth) + "(br_if $l (local.get 0)))".repeat(depth) + "))";
        IrFunction f = IrBuilder.build(ValidatedModule.of(Wat.compile(wat)), 0);
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        int blocks = cfg.reversePostorder().length;
        assertTrue(blocks >= 2 * depth, blocks + " blocks");
        BasicBlock innermost = cfg.reversePostorder()[depth];
        assertTrue(cfg.dominates(f.entry(), innermost));
        long steps = cfg.dominatorSteps();
        assertTrue(steps <= 8L * blocks, steps + " steps for " + blocks + " blocks");
    }

    /** Blocks each ending in a return, a jump, a branch or a switch to random blocks. */
    private static IrFunction randomFunction(Random random, int n) {
        IrFunction f = new IrFunction(0, "random", FuncType.of(new ValType[] {ValType.I32}));
        for (int i = 0; i < n; i++) f.blocks.add(f.newBlock());
        int condition = f.entry().params.length > 0 ? f.entry().params[0] : f.newValue(ValType.I32);
        for (BasicBlock b : f.blocks) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                b.terminator = new Terminator.Return(new int[0]);
            } else if (kind < 5) {
                b.terminator = new Terminator.Jump(edge(f, random));
            } else if (kind < 9) {
                b.terminator = new Terminator.Branch(condition, edge(f, random), edge(f, random));
            } else {
                Edge[] targets = new Edge[1 + random.nextInt(4)];
                for (int k = 0; k < targets.length; k++) targets[k] = edge(f, random);
                b.terminator = new Terminator.Switch(condition, targets, edge(f, random));
            }
        }
        return f;
    }

    private static Edge edge(IrFunction f, Random random) {
        return new Edge(f.blocks.get(random.nextInt(f.blocks.size())), new int[0]);
    }

    /** dom[b][a]: a dominates b, by the dataflow definition over the reachable blocks. */
    private static boolean[][] dominatorSets(IrFunction f, ControlFlowGraph cfg) {
        int n = f.blockIdCount();
        boolean[][] dom = new boolean[n][n];
        for (BasicBlock b : f.blocks) Arrays.fill(dom[b.id], b != f.entry());
        dom[f.entry().id][f.entry().id] = true;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (BasicBlock b : f.blocks) {
                if (b == f.entry() || !cfg.isReachable(b)) continue;
                boolean[] meet = new boolean[n];
                Arrays.fill(meet, true);
                for (BasicBlock p : cfg.predecessors(b)) {
                    if (!cfg.isReachable(p)) continue;
                    for (int k = 0; k < n; k++) meet[k] &= dom[p.id][k];
                }
                meet[b.id] = true;
                if (!Arrays.equals(meet, dom[b.id])) {
                    dom[b.id] = meet;
                    changed = true;
                }
            }
        }
        return dom;
    }

    /** The strict dominator of b that every other strict dominator of b dominates (the entry: itself). */
    private static int definedImmediateDominator(IrFunction f, boolean[][] dom, BasicBlock b) {
        if (b == f.entry()) return b.id;
        int best = -1, most = -1;
        for (BasicBlock a : f.blocks) {
            if (a == b || !dom[b.id][a.id]) continue;
            int size = 0;
            for (boolean d : dom[a.id]) if (d) size++;
            if (size > most) {
                most = size;
                best = a.id;
            }
        }
        return best;
    }
}
