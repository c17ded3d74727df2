package dev.kiln.ir.pass;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

/**
 * Redundant load elimination where memory provably has not changed: a load that reads what an
 * earlier load of the same kind read (same address value, offset and memory), or what an earlier
 * store of the same width wrote, with nothing in between that may write memory, is removed and its
 * uses read the earlier value. The earlier access ran first on every path (it is in the same block
 * or in a block that is the only way in), so it would have trapped first on an address out of
 * bounds. "In between" is the same block, or a chain of blocks each entered only from the one
 * before (an extended basic block, walked along the dominator tree); a block with several
 * predecessors starts knowing nothing. Stores, calls, {@code memory.grow}, bulk memory operations,
 * and every other instruction with a side effect but {@code global.set} forget everything
 * ({@link #writes}).
 *
 * <p>Run after {@link GlobalValueNumbering}, which gives equal addresses the same value. Functions
 * of more than {@link GlobalValueNumbering#MAX_INSTRUCTIONS} instructions are left as they are.
 */
public final class RedundantLoadElimination implements ControlFlowPass {
    @Override
    public String name() {
        return "redundant-load-elimination";
    }

    /** Renames values and removes loads only: blocks and edges stay, and so do {@code facts}. */
    @Override
    public boolean run(IrFunction f, ControlFlowFacts facts) {
        if (f.instructionCount() > GlobalValueNumbering.MAX_INSTRUCTIONS || !Effects.addressesMemory(f)) return false;
        DominatorTree tree = facts.dominatorTree();
        Loads loads = new Loads(tree.cfg(), new ValueRenaming(f), f.blockIdCount());
        tree.walk(loads);
        loads.renaming.apply(f);
        return loads.changed;
    }

    /** A value memory held at an address, while memory is in state {@code epoch}. */
    private record Known(int value, int epoch) {
    }

    /** The walk's state: what memory is known to hold, and the current state of memory. */
    private static final class Loads implements DominatorTree.Visitor {
        final ControlFlowGraph cfg;
        final ValueRenaming renaming;
        final ScopedTable<Computation, Known> known = new ScopedTable<>();
        /** The table's mark when each block (by id) was entered, and the memory state at its end. */
        final int[] marks;
        final int[] epochAtEnd;
        /** The last memory state made: each write makes a new one, in which nothing is known. */
        int epochs;
        boolean changed;

        Loads(ControlFlowGraph cfg, ValueRenaming renaming, int blocks) {
            this.cfg = cfg;
            this.renaming = renaming;
            this.marks = new int[blocks];
            this.epochAtEnd = new int[blocks];
        }

        @Override
        public void enter(BasicBlock b) {
            marks[b.id] = known.mark();
            // entered only from its immediate dominator: memory is as that block left it
            int epoch = b != cfg.function().entry() && cfg.predecessors(b).stream().distinct().count() == 1
                    ? epochAtEnd[cfg.immediateDominator(b)] : ++epochs;
            boolean removed = false;
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                if (Effects.addressesMemory(i.op) && i.resultCount() == 1) {
                    Computation c = access(i.op, i, renaming);
                    Known earlier = known.get(c);
                    if (earlier != null && earlier.epoch == epoch) {
                        renaming.replace(i.result(), earlier.value);
                        b.instructions.set(k, null);
                        removed = true;
                    } else {
                        known.put(c, new Known(i.result(), epoch));
                    }
                } else if (writes(i.op)) {
                    epoch = ++epochs;
                    Opcode load = loadOf(i.op);
                    if (load != null) known.put(access(load, i, renaming), new Known(renaming.resolve(i.arg(1)), epoch));
                }
            }
            epochAtEnd[b.id] = epoch;
            if (removed) b.instructions.removeIf(i -> i == null);
            changed |= removed;
        }

        @Override
        public void leave(BasicBlock b) {
            known.rollback(marks[b.id]);
        }
    }

    /**
     * The location a load reads or a store writes, as the load {@code load} of it: the offset, the
     * memory (not the alignment, a hint) or lane, and the address (and a load_lane's vector), with
     * the loads removed so far read as the values that replace them.
     */
    private static Computation access(Opcode load, Instruction i, ValueRenaming renaming) {
        long where = load.immediate == Immediate.MEMARG ? i.imm2() >>> 32 : i.imm2();
        int[] args = load == i.op ? i.args() : new int[] {i.arg(0)};
        for (int k = 0; k < args.length; k++) args[k] = renaming.resolve(args[k]);
        return new Computation(load, i.imm, where, args);
    }

    /**
     * True when the instruction may change memory, or is where control arrives after it may have
     * changed (a landing block's {@code catch}): every instruction with a side effect but the
     * setting of a global and the traps of arithmetic.
     */
    private static boolean writes(Opcode op) {
        return !Effects.isPure(op) && op != Opcode.GLOBAL_SET && !Effects.trapsOnOperandsAlone(op);
    }

    /** The load that reads back exactly what {@code store} writes, or null. */
    private static Opcode loadOf(Opcode store) {
        return switch (store) {
            case I32_STORE -> Opcode.I32_LOAD;
            case I64_STORE -> Opcode.I64_LOAD;
            case F32_STORE -> Opcode.F32_LOAD;
            case F64_STORE -> Opcode.F64_LOAD;
            case V128_STORE -> Opcode.V128_LOAD;
            default -> null;
        };
    }
}
