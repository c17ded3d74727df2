package dev.kiln.regalloc;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.ShortLoops;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every backend's lowering needs to know about an allocated function, worked out once and
 * independent of the target:
 * <ul>
 *   <li>the constant behind each value a constant instruction defines (v128 ones too);</li>
 *   <li>how many times each value is used;</li>
 *   <li>the loop headers ({@link BackEdges}), and which of them need no interruption check ({@link ShortLoops});</li>
 *   <li>the blocks that need no code (no instructions, a jump whose parameter moves are all
 *       no-ops under the allocation, no reload), and where a jump to such a block really goes.</li>
 * </ul>
 */
public final class LoweringFacts {
    private final IrFunction f;
    private final Allocation alloc;
    private final Map<Integer, Long> intConstants = new HashMap<>();
    private final Map<Integer, Long> floatConstants = new HashMap<>();
    private final Map<Integer, long[]> vectorConstants = new HashMap<>();
    private final int[] uses;
    private final BitSet loopHeaders;
    private final BitSet shortLoops;
    private final boolean[] empty;
    private final BasicBlock[] destination;

    public LoweringFacts(IrFunction f, Allocation alloc) {
        this.f = f;
        this.alloc = alloc;
        this.uses = new int[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.I32_CONST || i.op == Opcode.I64_CONST) intConstants.put(i.result(), i.imm);
                if (i.op == Opcode.F32_CONST || i.op == Opcode.F64_CONST) floatConstants.put(i.result(), i.imm);
                if (i.op == Opcode.V128_CONST) vectorConstants.put(i.result(), new long[] {i.imm, i.imm2()});
                for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); uses[a]++; }
            }
            for (int v : b.terminator.operands()) uses[v]++;
            for (Edge e : b.terminator.edges()) for (int a : e.args) uses[a]++;
        }
        this.loopHeaders = BackEdges.headers(f);
        this.shortLoops = ShortLoops.headers(f);
        this.empty = new boolean[f.blockIdCount()];
        this.destination = new BasicBlock[f.blockIdCount()];
        LinearOrder order = alloc.liveIntervals().order();
        for (BasicBlock b : f.blocks) {
            // a loop header or a fuel point keeps its code: it has checks of its own; a block that reloads
            // values before the loop it enters keeps its loads
            empty[b.id] = b != f.entry() && b.params.length == 0 && b.instructions.isEmpty() && !b.fuelPoint
                    && !loopHeaders.get(b.id) && b.terminator instanceof Terminator.Jump j && movesAreNoOps(j.target)
                    && alloc.reloadsAt(order.terminatorUse(b)).length == 0;
        }
        for (BasicBlock b : f.blocks) {
            BasicBlock d = b;
            for (int hops = 0; empty[d.id] && hops < f.blocks.size(); hops++) d = ((Terminator.Jump) d.terminator).target.target;
            destination[b.id] = empty[d.id] ? b : d; // a cycle of empty jumps keeps its own code
        }
    }

    private boolean movesAreNoOps(Edge e) {
        for (int k = 0; k < e.argCount(); k++) {
            int to = alloc.location(e.target.params[k]);
            if (to != Location.NONE && to != alloc.location(e.arg(k))) return false;
        }
        return true;
    }

    /** The value of an i32/i64 constant instruction's result, or null when {@code v} is not one. */
    public Long intConstant(int v) {
        return intConstants.get(v);
    }

    /** The bits of a v128 constant instruction's result (bits 0-63, then 64-127), or null when {@code v} is not one. */
    public long[] vectorConstant(int v) {
        long[] c = vectorConstants.get(v);
        return c == null ? null : c.clone();
    }

    /** The bits of an f32/f64 constant instruction's result, or null when {@code v} is not one. */
    public Long floatConstant(int v) {
        return floatConstants.get(v);
    }

    public int uses(int v) {
        return uses[v];
    }

    public boolean isLoopHeader(BasicBlock b) {
        return loopHeaders.get(b.id);
    }

    /** A loop header that checks for interruption: every one but the headers of {@link ShortLoops}. */
    public boolean checksInterruption(BasicBlock b) {
        return loopHeaders.get(b.id) && !shortLoops.get(b.id);
    }

    /** Where control entering {@code b} really goes: past any blocks that need no code. */
    public BasicBlock destination(BasicBlock b) {
        return destination[b.id];
    }

    /** The blocks that get code, in layout order. */
    public List<BasicBlock> layout() {
        List<BasicBlock> out = new ArrayList<>();
        for (BasicBlock b : f.blocks) if (!empty[b.id] || destination[b.id] == b) out.add(b);
        return out;
    }
}
