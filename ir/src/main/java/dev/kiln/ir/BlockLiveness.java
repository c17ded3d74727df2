package dev.kiln.ir;

import java.util.BitSet;

/**
 * The values live into and out of each block (backward dataflow over the current layout): used in
 * the block or a successor before being defined. The interpreter's OSR entries and the register
 * allocator's intervals both start from it. A block's parameters are defined at its start, so they are
 * never live into it; an edge's arguments are used at the end of its source block.
 */
public final class BlockLiveness {
    private final BitSet[] liveIn;
    private final BitSet[] liveOut;

    public BlockLiveness(IrFunction f) {
        int blocks = f.blockIdCount();
        BitSet[] gen = new BitSet[blocks], kill = new BitSet[blocks];
        liveIn = new BitSet[blocks];
        liveOut = new BitSet[blocks];
        for (BasicBlock b : f.blocks) {
            BitSet g = new BitSet(), k = new BitSet();
            for (int p : b.params) k.set(p);
            for (Instruction i : b.instructions) {
                for (int a : i.args) if (!k.get(a)) g.set(a);
                for (int r : i.results) k.set(r);
            }
            for (int v : b.terminator.operands()) if (!k.get(v)) g.set(v);
            for (Edge e : b.terminator.edges()) for (int a : e.args) if (!k.get(a)) g.set(a);
            gen[b.id] = g;
            kill[b.id] = k;
            liveIn[b.id] = (BitSet) g.clone();
            liveOut[b.id] = new BitSet();
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int idx = f.blocks.size() - 1; idx >= 0; idx--) {
                BasicBlock b = f.blocks.get(idx);
                BitSet out = new BitSet();
                for (Edge e : b.terminator.edges()) {
                    BitSet in = (BitSet) liveIn[e.target.id].clone();
                    for (int p : e.target.params) in.clear(p);
                    out.or(in);
                }
                if (!out.equals(liveOut[b.id])) {
                    liveOut[b.id] = out;
                    BitSet in = (BitSet) out.clone();
                    in.andNot(kill[b.id]);
                    in.or(gen[b.id]);
                    liveIn[b.id] = in;
                    changed = true;
                }
            }
        }
    }

    /** Values live on entry to {@code b}, its parameters excluded. */
    public BitSet liveIn(BasicBlock b) {
        return (BitSet) liveIn[b.id].clone();
    }

    /** Values live on exit from {@code b}: live into a successor, that successor's parameters excluded. */
    public BitSet liveOut(BasicBlock b) {
        return (BitSet) liveOut[b.id].clone();
    }
}
