package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Numerics;
import dev.kiln.ir.Terminator;
import dev.kiln.ir.TrapException;

import java.util.ArrayList;
import java.util.List;

/**
 * Sparse conditional constant propagation (Wegman and Zadeck) through block parameters: every value
 * starts unknown and every block unreached but the entry; reached blocks are evaluated in reverse
 * postorder, a block parameter is the meet of what the reached edges into it pass, a branch or
 * br_table on a constant reaches only the edge it takes, until nothing changes. Unlike
 * {@link ConstantFolding}, which sees a value as constant only when its definition is, this finds
 * values constant around loops and across merges that only constant edges reach (a flag set before
 * a loop and tested in it, a parameter every reached predecessor passes the same constant).
 *
 * <p>Then: a value found constant is defined by a constant instruction (an instruction's result in
 * its place; a block parameter by a constant at the block's start, the parameter left for
 * {@link DeadCodeElimination}), a branch on a constant becomes a jump, and the blocks never reached
 * are removed. Scalar values only (i32, i64, f32, f64, evaluated by {@link Numerics} as the
 * interpreter would; an operation that would trap is not constant).
 *
 * <p>The evaluation is optimistic, so it must reach its fixed point before anything is changed: a
 * function that needs more than {@link #MAX_SWEEPS} sweeps, or is larger than
 * {@link #MAX_INSTRUCTIONS}, is left as it is.
 */
public final class SparseConditionalConstants implements Pass {
    static final int MAX_INSTRUCTIONS = 500_000;
    /** Sweeps over the reached blocks before giving up (each lowers some value or reaches some block). */
    static final int MAX_SWEEPS = 24;

    private static final byte UNKNOWN = 0;
    private static final byte CONSTANT = 1;
    private static final byte VARYING = 2;

    @Override
    public String name() {
        return "sparse-conditional-constants";
    }

    @Override
    public boolean run(IrFunction f) {
        if (f.instructionCount() > MAX_INSTRUCTIONS) return false;
        Lattice l = new Lattice(f);
        BasicBlock[] rpo = new ControlFlowGraph(f).reversePostorder();
        boolean[] reached = new boolean[f.blockIdCount()];
        reached[f.entry().id] = true;
        for (int p : f.entry().params) l.lower(p, VARYING, 0);
        int sweeps = 0;
        boolean changed = true;
        while (changed) {
            if (++sweeps > MAX_SWEEPS) return false;
            changed = false;
            for (BasicBlock b : rpo) {
                if (!reached[b.id]) continue;
                for (Instruction i : b.instructions) changed |= evaluate(i, l);
                for (Edge e : takenEdges(b.terminator, l)) {
                    if (!reached[e.target.id]) {
                        reached[e.target.id] = true;
                        changed = true;
                    }
                    for (int k = 0; k < e.args.length; k++) {
                        changed |= l.lower(e.target.params[k], l.state[e.args[k]], l.bits[e.args[k]]);
                    }
                }
            }
        }
        for (BasicBlock b : rpo) {
            if (reached[b.id] && undecided(b.terminator, l)) return false; // a branch on a value never computed: leave all alone
        }
        return rewrite(f, l, reached);
    }

    /** The value lattice: unknown (no value reaches yet), one constant (its bits), or varying. */
    private static final class Lattice {
        final byte[] state;
        final long[] bits;
        final IrFunction f;

        Lattice(IrFunction f) {
            this.f = f;
            state = new byte[f.valueCount()];
            bits = new long[f.valueCount()];
        }

        /** Meets value {@code v} with (s, b); true when it moved down. */
        boolean lower(int v, byte s, long b) {
            byte old = state[v];
            if (old == VARYING || s == UNKNOWN) return false;
            byte now = s == VARYING || !tracked(f.typeOf(v)) || (old == CONSTANT && bits[v] != b) ? VARYING : CONSTANT;
            if (now == old) return false;
            state[v] = now;
            bits[v] = b;
            return true;
        }

        boolean isConstant(int v) {
            return state[v] == CONSTANT;
        }
    }

    private static boolean tracked(ValType t) {
        return switch (t.machine()) {
            case I32, I64, F32, F64 -> true;
            default -> false;
        };
    }

    /** Evaluates {@code i} over the lattice; true when a result moved down. */
    private static boolean evaluate(Instruction i, Lattice l) {
        if (i.resultCount() != 1) {
            boolean changed = false;
            for (int k = 0; k < i.resultCount(); k++) changed |= l.lower(i.result(k), VARYING, 0);
            return changed;
        }
        int r = i.result();
        if (ConstantFolding.isConstant(i.op)) return l.lower(r, CONSTANT, i.imm);
        if (i.op == Opcode.SELECT || i.op == Opcode.SELECT_T) {
            int c = i.arg(2);
            if (l.state[c] == UNKNOWN) return false;
            if (l.isConstant(c)) {
                int chosen = (int) l.bits[c] != 0 ? i.arg(0) : i.arg(1);
                return l.lower(r, l.state[chosen], l.bits[chosen]);
            }
            return l.lower(r, l.state[i.arg(0)], l.bits[i.arg(0)]) | l.lower(r, l.state[i.arg(1)], l.bits[i.arg(1)]);
        }
        if (!Numerics.isScalarNumeric(i.op) || (!Effects.isFoldable(i.op) && !Effects.trapsOnOperandsAlone(i.op))) {
            return l.lower(r, VARYING, 0);
        }
        for (int k = 0; k < i.argCount(); k++) {
            byte s = l.state[i.arg(k)];
            if (s == VARYING) return l.lower(r, VARYING, 0);
        }
        for (int k = 0; k < i.argCount(); k++) if (l.state[i.arg(k)] == UNKNOWN) return false;
        long value;
        try {
            value = Numerics.eval(i.op, l.bits[i.arg(0)], i.argCount() > 1 ? l.bits[i.arg(1)] : 0);
        } catch (TrapException trap) {
            return l.lower(r, VARYING, 0);
        }
        return l.lower(r, CONSTANT, ConstantFolding.normalize(i.op.result(0), value));
    }

    /** The edges the terminator may take given what is known (none while its operand is unknown). */
    private static Edge[] takenEdges(Terminator t, Lattice l) {
        switch (t) {
            case Terminator.Branch br -> {
                if (l.state[br.condition] == UNKNOWN) return new Edge[0];
                if (l.isConstant(br.condition)) return new Edge[] {(int) l.bits[br.condition] != 0 ? br.ifTrue : br.ifFalse};
                return t.edges();
            }
            case Terminator.Switch s -> {
                if (l.state[s.index] == UNKNOWN) return new Edge[0];
                if (l.isConstant(s.index)) return new Edge[] {taken(s, l.bits[s.index])};
                return t.edges();
            }
            default -> {
                return t.edges();
            }
        }
    }

    private static Edge taken(Terminator.Switch s, long index) {
        long idx = index & 0xFFFF_FFFFL;
        return idx < s.targets.length ? s.targets[(int) idx] : s.defaultTarget;
    }

    private static boolean undecided(Terminator t, Lattice l) {
        return switch (t) {
            case Terminator.Branch br -> l.state[br.condition] == UNKNOWN;
            case Terminator.Switch s -> l.state[s.index] == UNKNOWN;
            default -> false;
        };
    }

    private static boolean rewrite(IrFunction f, Lattice l, boolean[] reached) {
        boolean changed = f.blocks.removeIf(b -> !reached[b.id]);
        List<int[]> renames = new ArrayList<>(); // a constant parameter and the constant now defining its value
        for (BasicBlock b : f.blocks) {
            List<Instruction> made = new ArrayList<>();
            for (int p : b.params) {
                if (!l.isConstant(p)) continue;
                int v = f.newValue(f.typeOf(p));
                made.add(constant(f, v, l.bits[p], 0));
                renames.add(new int[] {p, v});
            }
            if (!made.isEmpty()) {
                int at = 0;
                while (at < b.instructions.size() && b.instructions.get(at).op == Opcode.CATCH) at++;
                b.instructions.addAll(at, made);
                changed = true;
            }
        }
        ValueRenaming renaming = new ValueRenaming(f);
        for (int[] r : renames) renaming.replace(r[0], r[1]);
        for (BasicBlock b : f.blocks) {
            List<Instruction> list = b.instructions;
            for (int k = 0; k < list.size(); k++) {
                Instruction i = list.get(k);
                if (i.resultCount() != 1 || ConstantFolding.isConstant(i.op) || !l.isConstant(i.result())) continue;
                if (!Effects.isPure(i.op) && !Effects.trapsOnOperandsAlone(i.op)) continue;
                list.set(k, constant(f, i.result(), l.bits[i.result()], i.wasmOffset));
                changed = true;
            }
            switch (b.terminator) {
                case Terminator.Branch br when l.isConstant(br.condition) -> {
                    b.terminator = new Terminator.Jump((int) l.bits[br.condition] != 0 ? br.ifTrue : br.ifFalse);
                    changed = true;
                }
                case Terminator.Switch s when l.isConstant(s.index) -> {
                    b.terminator = new Terminator.Jump(taken(s, l.bits[s.index]));
                    changed = true;
                }
                default -> { }
            }
        }
        renaming.apply(f);
        return changed;
    }

    private static Instruction constant(IrFunction f, int v, long bits, int wasmOffset) {
        return new Instruction(ConstantFolding.constOf(f.typeOf(v)), new int[0], new int[] {v}, bits, 0, wasmOffset);
    }
}
