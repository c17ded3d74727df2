package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Global value numbering over the dominator tree: an instruction that computes what an instruction
 * of a dominating block (or earlier in its own block) already computed, from the same operation,
 * immediates and operands, is removed and its uses read the earlier result. One walk of the
 * dominator tree with a scoped hash table, so the work is linear in the function.
 *
 * <p>Only value computations take part ({@link #numbered}): arithmetic, comparisons, conversions,
 * SIMD and address arithmetic, which read nothing but their operands, and the integer divisions and
 * float-to-int truncations, whose trap depends on their operands alone (the dominating twin ran
 * first with the same operands: had it trapped, the second would never run). Loads, stores, calls,
 * reads of globals, memory and table sizes never do. Constants are numbered by their bits, so
 * {@code x + 4} matches {@code x + 4} whichever {@code i32.const 4} each reads, but constants
 * themselves stay where they are (a constant made once and read far away would only lengthen a live
 * range the allocator may have to spill). Integer operations that commute are numbered with their
 * operands in order. A comparison that its block's branch reads as the block's last instruction is
 * left alone, so the backends still fuse it with the branch ({@link CompareSinking}).
 *
 * <p>Functions of more than {@link #MAX_INSTRUCTIONS} instructions are left as they are: the table
 * would hold an entry per instruction, and such bodies are mostly straight-line code made by tools.
 */
public final class GlobalValueNumbering implements ControlFlowPass {
    /** The largest function numbered (instructions, terminators included). */
    static final int MAX_INSTRUCTIONS = 500_000;

    @Override
    public String name() {
        return "global-value-numbering";
    }

    /** Renames values only: blocks and edges stay, and so do {@code facts}. */
    @Override
    public boolean run(IrFunction f, ControlFlowFacts facts) {
        if (f.instructionCount() > MAX_INSTRUCTIONS) return false;
        Numbering n = new Numbering(new ValueRenaming(f), new int[f.blockIdCount()]);
        facts.dominatorTree().walk(n);
        n.renaming.apply(f);
        return n.changed;
    }

    /** The walk's state: the computations available in the current block, constants by their bits. */
    private static final class Numbering implements DominatorTree.Visitor {
        final ValueRenaming renaming;
        final ScopedTable<Computation, Integer> available = new ScopedTable<>();
        final Map<Computation, Integer> constants = new HashMap<>();
        final Map<Integer, Integer> sameConstant = new HashMap<>(); // a constant -> the first one with its bits
        /** The table's mark when each block (by id) was entered. */
        final int[] marks;
        boolean changed;

        Numbering(ValueRenaming renaming, int[] marks) {
            this.renaming = renaming;
            this.marks = marks;
        }

        @Override
        public void enter(BasicBlock b) {
            marks[b.id] = available.mark();
            int fused = b.terminator instanceof Terminator.Branch br ? br.condition : -1;
            int last = b.instructions.size() - 1;
            boolean removed = false;
            for (int k = 0; k <= last; k++) {
                Instruction i = b.instructions.get(k);
                if (!numbered(i)) continue;
                if (i.argCount() == 0) { // a constant: numbered by its bits, left in place
                    Integer first = constants.putIfAbsent(new Computation(i.op, i.imm, i.imm2(), Computation.NO_ARGS), i.result());
                    if (first != null) sameConstant.put(i.result(), first);
                    continue;
                }
                Computation key = key(i, renaming, sameConstant);
                Integer earlier = available.get(key);
                if (earlier == null) {
                    available.put(key, i.result());
                } else if (!(k == last && i.result() == fused)) {
                    renaming.replace(i.result(), earlier);
                    b.instructions.set(k, null);
                    removed = true;
                }
            }
            if (removed) b.instructions.removeIf(i -> i == null);
            changed |= removed;
        }

        @Override
        public void leave(BasicBlock b) {
            available.rollback(marks[b.id]);
        }
    }

    /** The instruction's operation, immediates and operands, constants by their bits. */
    private static Computation key(Instruction i, ValueRenaming renaming, Map<Integer, Integer> sameConstant) {
        int[] args = i.args();
        for (int k = 0; k < args.length; k++) {
            int a = renaming.resolve(args[k]);
            args[k] = sameConstant.getOrDefault(a, a);
        }
        if (args.length == 2 && commutes(i.op) && args[0] > args[1]) {
            int t = args[0];
            args[0] = args[1];
            args[1] = t;
        }
        return new Computation(i.op, i.imm, i.imm2(), args);
    }

    /** True for instructions that take part: one result, computed from the operands and immediates alone. */
    static boolean numbered(Instruction i) {
        if (i.resultCount() != 1) return false;
        return Effects.isFoldable(i.op) || Effects.trapsOnOperandsAlone(i.op);
    }

    /** Integer operations whose operands may be swapped (float ones may not: which NaN comes out depends on the order). */
    private static boolean commutes(Opcode op) {
        return switch (op) {
            case I32_ADD, I32_MUL, I32_AND, I32_OR, I32_XOR, I32_EQ, I32_NE,
                 I64_ADD, I64_MUL, I64_AND, I64_OR, I64_XOR, I64_EQ, I64_NE -> true;
            default -> false;
        };
    }
}
