package dev.kiln.backend;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.LoweringFacts;

/**
 * Which loop headers start on {@link #BOUNDARY} (docs/design-changes.md, "Loop headers aligned"): every
 * one but a header that the block before falls into when that block is itself a loop header. There the
 * padding runs on every iteration of the outer loop, whose header leads straight into the inner one
 * (dispatch's two headers back to back took 29 bytes of NOPs per bytecode at a 32-byte boundary).
 */
final class LoopAlignment {
    /** The boundary: 32 bytes, measured better than 16 on the benchmarks' AMD EPYC (bench/README.md). */
    static final int BOUNDARY = 32;

    /**
     * True when loop header {@code b} is padded to {@link #BOUNDARY}; {@code previous} is the block
     * emitted before it (null: the prologue).
     */
    static boolean pads(BasicBlock b, BasicBlock previous, LoweringFacts facts) {
        return previous == null || !facts.isLoopHeader(previous) || !fallsInto(previous, b, facts);
    }

    private static boolean fallsInto(BasicBlock previous, BasicBlock b, LoweringFacts facts) {
        if (!(previous.terminator instanceof Terminator.Jump || previous.terminator instanceof Terminator.Branch)) return false;
        for (Edge e : previous.terminator.edges()) if (facts.destination(e.target) == b) return true;
        return false;
    }

    private LoopAlignment() {
    }
}
