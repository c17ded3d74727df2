package dev.kiln.regalloc;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Constants recomputed where they are used instead of stored to a stack slot and reloaded. After a
 * first allocation, every constant (i32, i64, f32, f64, v128) that the allocator put in a stack slot
 * is replaced by a copy of its defining instruction immediately before each instruction (or
 * terminator) that reads it; the original definition goes, and the function is allocated again. A
 * copy lives from just before its use to the use, so it never crosses a call or a loop: it takes a
 * register at the use (a {@code mov r, imm} or a constant-pool load instead of a slot read, and no
 * store at the definition) or, where the lowering encodes the constant in the instruction
 * ({@link ImmediateConstants}), no location at all. Constants whose value reaches a block
 * parameter through a branch, switch, guarded call or handler edge are left alone (those edges may
 * carry no moves, {@code EdgeSplitting}); so are constants the first allocation kept in registers,
 * which cost nothing per use.
 */
public final class Rematerialisation {
    private Rematerialisation() {
    }

    /** What an allocation of {@code f} needs besides the register file: the values without location and the preferred registers. */
    public interface Inputs {
        /** For each value: true when it needs no location (a constant every use encodes); may be null. */
        boolean[] unallocated(IrFunction f);

        /** For each value its preferred register, or {@link Location#NONE}; may be null. */
        default int[] preferred(IrFunction f) {
            return null;
        }
    }

    /**
     * Allocates {@code f} over {@code rf}; when constants end up in stack slots, rematerialises them
     * ({@code f} is changed) and allocates again, with the inputs worked out afresh.
     */
    public static Allocation allocate(IrFunction f, RegisterFile rf, Inputs inputs) {
        Allocation first = LinearScan.allocate(f, rf, inputs.unallocated(f), inputs.preferred(f));
        BitSet spilled = spilledConstants(f, first);
        if (spilled.isEmpty() || !rematerialise(f, spilled)) return first;
        return LinearScan.allocate(f, rf, inputs.unallocated(f), inputs.preferred(f));
    }

    /** True for the operand-free instructions whose result is cheaper to compute again than to reload. */
    public static boolean isRematerialisable(Opcode op) {
        return op == Opcode.I32_CONST || op == Opcode.I64_CONST || op == Opcode.F32_CONST || op == Opcode.F64_CONST
                || op == Opcode.V128_CONST;
    }

    /** The constants of {@code f} that {@code a} keeps in stack slots. */
    public static BitSet spilledConstants(IrFunction f, Allocation a) {
        BitSet out = new BitSet();
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (isRematerialisable(i.op) && Location.isSlot(a.location(i.result()))) out.set(i.result());
            }
        }
        return out;
    }

    /**
     * Gives each use of the constants in {@code constants} a copy of its own, defined just before the
     * use, and removes their definitions. Constants passed along an edge other than a jump's are
     * dropped from {@code constants} and keep their definition. Returns true when anything changed.
     */
    public static boolean rematerialise(IrFunction f, BitSet constants) {
        for (BasicBlock b : f.blocks) {
            if (b.terminator instanceof Terminator.Jump) continue;
            for (Edge e : b.terminator.edges()) for (int v : e.args) constants.clear(v);
        }
        if (constants.isEmpty()) return false;
        Map<Integer, Instruction> definition = new HashMap<>();
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.resultCount() == 1 && constants.get(i.result())) definition.put(i.result(), i);
            }
        }
        for (BasicBlock b : f.blocks) {
            List<Instruction> out = new ArrayList<>(b.instructions.size());
            boolean changed = false;
            for (Instruction i : b.instructions) {
                if (i.resultCount() == 1 && constants.get(i.result())) {
                    changed = true; // the definition goes: every use reads a copy
                    continue;
                }
                for (int k = 0; k < i.argCount(); k++) {
                    int v = i.arg(k);
                    if (!constants.get(v)) continue;
                    int copy = copy(f, definition.get(v), out);
                    for (int k2 = k; k2 < i.argCount(); k2++) if (i.arg(k2) == v) i.setArg(k2, copy);
                    changed = true;
                }
                out.add(i);
            }
            changed |= renameTerminator(f, b.terminator, constants, definition, out);
            if (changed) {
                b.instructions.clear();
                b.instructions.addAll(out);
            }
        }
        return true;
    }

    /** A copy of constant {@code definition} appended to {@code out}; returns its value. */
    private static int copy(IrFunction f, Instruction definition, List<Instruction> out) {
        int v = f.newValue(f.typeOf(definition.result()));
        out.add(new Instruction(definition.op, new int[0], new int[] {v}, definition.imm, definition.imm2(), definition.wasmOffset));
        return v;
    }

    /** The terminator's reads of the constants, renamed to copies appended to {@code out} (one per constant read). */
    private static boolean renameTerminator(IrFunction f, Terminator t, BitSet constants, Map<Integer, Instruction> definition,
                                            List<Instruction> out) {
        Map<Integer, Integer> copies = new HashMap<>(4);
        IntUnaryOperator to = v -> constants.get(v) ? copies.computeIfAbsent(v, c -> copy(f, definition.get(c), out)) : v;
        switch (t) {
            case Terminator.Jump j -> {
                for (int k = 0; k < j.target.argCount(); k++) j.target.setArg(k, to.applyAsInt(j.target.arg(k)));
            }
            case Terminator.Branch br -> br.condition = to.applyAsInt(br.condition);
            case Terminator.Switch s -> s.index = to.applyAsInt(s.index);
            case Terminator.Return r -> {
                for (int k = 0; k < r.values.length; k++) r.values[k] = to.applyAsInt(r.values[k]);
            }
            case Terminator.ReturnCall rc -> renameArgs(rc.call, to);
            case Terminator.Throw th -> renameArgs(th.instruction, to);
            default -> { }
        }
        return !copies.isEmpty();
    }

    private static void renameArgs(Instruction i, IntUnaryOperator to) {
        for (int k = 0; k < i.argCount(); k++) i.setArg(k, to.applyAsInt(i.arg(k)));
    }
}
