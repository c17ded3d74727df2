package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loop-invariant code motion: an instruction of a loop that computes the same value in every
 * iteration (its operands are defined outside the loop, or are constants) moves to the loop's
 * preheader, so it runs once per entry into the loop instead of once per iteration. Loops are
 * those of {@link BackEdges} (a header and the blocks that reach one of its back edges without
 * passing it), innermost first, so an instruction invariant in several nested loops moves out one
 * level at a time.
 *
 * <p>Only instructions that can neither trap nor depend on mutable state move ({@link
 * Effects#isFoldable}: arithmetic, comparisons, conversions that cannot trap, SIMD): the preheader
 * runs them even when the loop would not have, which is harmless for those and for nothing else
 * (divisions, truncations, loads, reads of globals stay), and only those worth a register across
 * the loop: not a single-cycle integer operation of one value and constants ({@code x + 16}, see
 * {@link Motion#cheap}). Constants do not move: an invariant
 * instruction that reads a constant of the loop gets a copy of it in the preheader, and the
 * constant stays for the loop's other uses (the register allocator recomputes constants rather
 * than keeping them in registers across a loop). A comparison that its block's branch reads as
 * the block's last instruction stays, so the backends still fuse it with the branch.
 *
 * <p>The preheader is the header's only predecessor outside the loop when that block ends in a
 * jump to it; otherwise a new block, laid out right before the header, that the edges entering the
 * loop lead to and that jumps to the header, passing its parameters through. Back edges do not
 * change (the layout defines them), so fuel points, interruption checks and OSR entries stay where
 * they were. Headers that are the function's entry or an exception landing block are left alone.
 *
 * <p>The work is capped at {@link #WORK_PER_INSTRUCTION} block and instruction visits per
 * instruction of the function (nested loops are walked once per level), and functions of more than
 * {@link GlobalValueNumbering#MAX_INSTRUCTIONS} instructions are left as they are.
 */
public final class LoopInvariantCodeMotion implements ControlFlowPass {
    /** Visits of loop blocks and instructions allowed per instruction of the function. */
    static final int WORK_PER_INSTRUCTION = 16;

    @Override
    public String name() {
        return "loop-invariant-code-motion";
    }

    /** Starts from the shared control-flow graph; adds preheaders, so {@code facts} are dropped when anything moved. */
    @Override
    public boolean run(IrFunction f, ControlFlowFacts facts) {
        int size = f.instructionCount();
        if (size > GlobalValueNumbering.MAX_INSTRUCTIONS) return false;
        Map<Integer, Integer> at = BackEdges.positions(f.blocks);
        List<BasicBlock> headers = new ArrayList<>();
        Map<BasicBlock, List<BasicBlock>> latches = new HashMap<>();
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            for (Edge e : b.terminator.edges()) {
                if (!BackEdges.isBackEdge(at, i, e.target)) continue;
                latches.computeIfAbsent(e.target, h -> {
                    headers.add(h);
                    return new ArrayList<>();
                }).add(b);
            }
        }
        if (headers.isEmpty()) return false;
        boolean changed = new Motion(f, facts.cfg(), headers.size(), (long) size * WORK_PER_INSTRUCTION).run(headers, latches);
        if (changed) facts.invalidate();
        return changed;
    }

    /** The state of one function's motion: where values are defined, which blocks are in the current loop. */
    private static final class Motion {
        private final IrFunction f;
        private final ControlFlowGraph cfg;
        private final List<List<BasicBlock>> preds;
        /** The block defining each value (by id), -1 for none seen. */
        private int[] defBlock;
        /** Each value's defining instruction when it is a constant (no operands), else null. */
        private Instruction[] constant;
        /** Stamp of the loop a block (by id) was last found in. */
        private final int[] inLoop;
        /** Order of blocks (by id) for visiting definitions before uses: twice the reverse-postorder index, a preheader one less than its header. */
        private final int[] order;
        /** The new preheader of each header (by header id), laid out before it at the end. */
        private final Map<Integer, BasicBlock> placedBefore = new HashMap<>();
        private long work;

        Motion(IrFunction f, ControlFlowGraph cfg, int loops, long work) {
            this.f = f;
            this.cfg = cfg;
            this.work = work;
            int blocks = f.blockIdCount() + loops;
            inLoop = new int[blocks];
            order = new int[blocks];
            preds = new ArrayList<>(blocks);
            for (int i = 0; i < blocks; i++) preds.add(new ArrayList<>(2));
            defBlock = new int[f.valueCount()];
            constant = new Instruction[f.valueCount()];
            Arrays.fill(defBlock, -1);
            for (BasicBlock b : f.blocks) {
                order[b.id] = cfg.isReachable(b) ? 2 * cfg.rpoIndex(b) + 2 : Integer.MAX_VALUE;
                for (int p : b.params) defBlock[p] = b.id;
                for (Instruction i : b.instructions) {
                    for (int r : i.results()) defBlock[r] = b.id;
                    if (i.resultCount() == 1 && i.argCount() == 0 && Effects.isFoldable(i.op)) constant[i.result()] = i;
                }
                for (Edge e : b.terminator.edges()) {
                    List<BasicBlock> ps = preds.get(e.target.id);
                    if (ps.isEmpty() || ps.getLast() != b) ps.add(b);
                }
            }
        }

        boolean run(List<BasicBlock> headers, Map<BasicBlock, List<BasicBlock>> latches) {
            boolean changed = false;
            // innermost first: a header later in the layout is nested in, or disjoint from, an earlier one
            for (int h = headers.size() - 1; h >= 0 && work > 0; h--) {
                BasicBlock header = headers.get(h);
                if (header == f.entry() || !cfg.isReachable(header)
                        || !header.instructions.isEmpty() && header.instructions.getFirst().op == Opcode.CATCH) continue;
                List<BasicBlock> body = body(header, latches.get(header), h + 1);
                if (body != null) changed |= hoist(header, body, h + 1);
            }
            if (!placedBefore.isEmpty()) {
                List<BasicBlock> layout = new ArrayList<>(f.blocks.size() + placedBefore.size());
                for (BasicBlock b : f.blocks) {
                    BasicBlock p = placedBefore.get(b.id);
                    if (p != null) layout.add(p);
                    layout.add(b);
                }
                f.blocks.clear();
                f.blocks.addAll(layout);
            }
            return changed;
        }

        /** The loop's blocks, stamped {@code loop} in {@link #inLoop}, in definition order; null unless the header dominates them all. */
        private List<BasicBlock> body(BasicBlock header, List<BasicBlock> latchesOf, int loop) {
            List<BasicBlock> body = new ArrayList<>();
            inLoop[header.id] = loop;
            body.add(header);
            for (BasicBlock l : latchesOf) if (inLoop[l.id] != loop) {
                inLoop[l.id] = loop;
                body.add(l);
            }
            for (int k = 1; k < body.size(); k++) {
                BasicBlock b = body.get(k);
                if (b == f.entry()) return null; // reached without passing the header: not a natural loop
                if (--work < 0) return null;
                for (BasicBlock p : preds.get(b.id)) {
                    if (inLoop[p.id] != loop && order[p.id] != Integer.MAX_VALUE) { // unreachable blocks stay out
                        inLoop[p.id] = loop;
                        body.add(p);
                    }
                }
            }
            body.sort((a, b) -> Integer.compare(order[a.id], order[b.id]));
            return body;
        }

        private boolean hoist(BasicBlock header, List<BasicBlock> body, int loop) {
            BasicBlock preheader = null;
            Map<Integer, Integer> copies = new HashMap<>(); // constants of the loop -> their copies in the preheader
            for (BasicBlock b : body) {
                int fused = b.terminator instanceof Terminator.Branch br ? br.condition : -1;
                int last = b.instructions.size() - 1;
                boolean moved = false;
                for (int k = 0; k <= last; k++) {
                    if (--work < 0) break;
                    Instruction i = b.instructions.get(k);
                    if (!movable(i, loop) || k == last && i.result() == fused) continue;
                    if (preheader == null) preheader = preheader(header, loop);
                    BasicBlock to = preheader;
                    for (int a = 0; a < i.argCount(); a++) {
                        int v = i.arg(a);
                        if (inLoop[defBlock[v]] == loop) i.setArg(a, copies.computeIfAbsent(v, c -> copy(c, to, i.wasmOffset)));
                    }
                    b.instructions.set(k, null);
                    to.instructions.add(i);
                    defBlock[i.result()] = to.id;
                    moved = true;
                }
                if (moved) b.instructions.removeIf(i -> i == null);
            }
            return preheader != null;
        }

        /**
         * Invariant, safe to run before the loop, and worth a register across it: a pure operation
         * (not a constant) of invariant operands, but not a single-cycle one of one value and constants.
         */
        private boolean movable(Instruction i, int loop) {
            if (i.resultCount() != 1 || i.argCount() == 0 || !Effects.isFoldable(i.op)) return false;
            int values = 0;
            for (int a = 0; a < i.argCount(); a++) {
                int v = i.arg(a);
                if (defBlock[v] < 0 || inLoop[defBlock[v]] == loop && constant[v] == null) return false;
                if (constant[v] == null) values++;
            }
            return values > 1 || !cheap(i.op);
        }

        /**
         * Single-cycle integer operations. Moved out of a loop, {@code x + 16} saves one such cycle per
         * iteration but keeps a second value live across the loop besides {@code x} (which usually
         * stays live for other uses): under register pressure a spill, and a longer encoding
         * everywhere (moving them grew SQLite's code by 1.4%; leaving them, the mid-end shrinks it).
         */
        private static boolean cheap(Opcode op) {
            return switch (op) {
                case I32_ADD, I32_SUB, I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_EQZ,
                     I64_ADD, I64_SUB, I64_AND, I64_OR, I64_XOR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_EQZ,
                     I64_EXTEND_I32_S, I64_EXTEND_I32_U, I32_WRAP_I64 -> true;
                default -> false;
            };
        }

        /** A copy of constant {@code v} at the end of block {@code to}; its value. */
        private int copy(int v, BasicBlock to, int wasmOffset) {
            Instruction c = constant[v];
            int nv = newValue(v);
            constant[nv] = new Instruction(c.op, new int[0], new int[] {nv}, c.imm, c.imm2(), wasmOffset);
            to.instructions.add(constant[nv]);
            defBlock[nv] = to.id;
            return nv;
        }

        private int newValue(int like) {
            int nv = f.newValue(f.typeOf(like));
            if (nv >= defBlock.length) {
                int n = Math.max(nv + 1, defBlock.length + (defBlock.length >> 1));
                int old = defBlock.length;
                defBlock = Arrays.copyOf(defBlock, n);
                Arrays.fill(defBlock, old, n, -1);
                constant = Arrays.copyOf(constant, n);
            }
            return nv;
        }

        /** The block that runs right before the loop is entered: the one outside predecessor ending in a jump, or a new block. */
        private BasicBlock preheader(BasicBlock header, int loop) {
            List<BasicBlock> outside = new ArrayList<>();
            for (BasicBlock p : preds.get(header.id)) if (inLoop[p.id] != loop) outside.add(p);
            if (outside.size() == 1 && outside.getFirst().terminator instanceof Terminator.Jump) return outside.getFirst();
            int[] params = new int[header.params.length];
            BasicBlock p = f.newBlock();
            for (int k = 0; k < params.length; k++) params[k] = newValue(header.params[k]);
            p.params = params;
            for (int k = 0; k < params.length; k++) defBlock[params[k]] = p.id;
            for (BasicBlock o : outside) {
                for (Edge e : o.terminator.edges()) if (e.target == header) e.target = p;
            }
            p.terminator = new Terminator.Jump(new Edge(header, params.clone()));
            List<BasicBlock> headerPreds = preds.get(header.id);
            headerPreds.removeAll(outside);
            headerPreds.add(p);
            preds.get(p.id).addAll(outside);
            order[p.id] = order[header.id] - 1;
            placedBefore.put(header.id, p);
            return p;
        }
    }
}
