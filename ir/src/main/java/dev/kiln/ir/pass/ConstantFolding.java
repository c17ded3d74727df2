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

import java.util.List;

/**
 * Constant folding: a scalar numeric operation whose operands are all constants becomes a constant
 * (evaluated by {@link Numerics}, exactly as the interpreter would; an operation that would trap is
 * left alone); {@code select} with a constant condition becomes a copy of the chosen operand; a
 * branch or br_table on a constant becomes a jump. Blocks are visited in reverse postorder, so
 * constants flow forward through a whole function in one run.
 */
public final class ConstantFolding implements Pass {
    @Override
    public String name() {
        return "constant-folding";
    }

    @Override
    public boolean run(IrFunction f) {
        int n = f.valueCount();
        // the constant instruction defining each value known to be constant (its bits are its imm), else null
        Instruction[] constant = new Instruction[n];
        ValueRenaming renaming = new ValueRenaming(f);
        boolean changed = false;
        for (BasicBlock b : new ControlFlowGraph(f).reversePostorder()) {
            // kept instructions move down to index kept: removing one is O(1), the whole block linear
            List<Instruction> list = b.instructions;
            int kept = 0;
            for (int k = 0; k < list.size(); k++) {
                Instruction i = list.get(k);
                for (int a = 0; a < i.argCount(); a++) i.setArg(a, renaming.resolve(i.arg(a)));
                if (isConstant(i.op)) {
                    constant[i.result()] = i;
                    list.set(kept++, i);
                    continue;
                }
                if (i.op == Opcode.SELECT && constant[i.arg(2)] != null) {
                    renaming.replace(i.result(), (int) constant[i.arg(2)].imm != 0 ? i.arg(0) : i.arg(1));
                    changed = true;
                    continue;
                }
                int same = identityOperand(i, constant);
                if (same >= 0) {
                    renaming.replace(i.result(), i.arg(same));
                    changed = true;
                    continue;
                }
                Instruction folded = fold(i, constant);
                if (folded != null) {
                    constant[folded.result()] = folded;
                    changed = true;
                }
                list.set(kept++, folded != null ? folded : i);
            }
            list.subList(kept, list.size()).clear();
            changed |= foldTerminator(b, constant, renaming);
        }
        renaming.apply(f);
        return changed;
    }

    /** {@code i} as a constant when its operands are all constant and it can be evaluated now (does not trap), else null. */
    private static Instruction fold(Instruction i, Instruction[] constant) {
        if (!Numerics.isScalarNumeric(i.op) || !allKnown(i, constant)) return null;
        if (!Effects.isFoldable(i.op) && !Effects.trapsOnOperandsAlone(i.op)) return null;
        long value;
        try {
            value = Numerics.eval(i.op, constant[i.arg(0)].imm, i.argCount() > 1 ? constant[i.arg(1)].imm : 0);
        } catch (TrapException trap) {
            return null; // keep the trapping instruction
        }
        ValType t = i.op.result(0);
        return new Instruction(constOf(t), new int[0], i.results(), normalize(t, value), 0, i.wasmOffset);
    }

    /**
     * An integer operation with a constant operand that leaves the other unchanged ({@code x + 0},
     * {@code x * 1}, {@code x & -1}, {@code x << 0}, ...): the index of the operand it equals, else -1.
     */
    private static int identityOperand(Instruction i, Instruction[] constant) {
        if (i.argCount() != 2 || i.resultCount() != 1) return -1;
        boolean wide;
        switch (i.op) {
            case I64_ADD, I64_SUB, I64_MUL, I64_AND, I64_OR, I64_XOR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR -> wide = true;
            case I32_ADD, I32_SUB, I32_MUL, I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR -> wide = false;
            default -> {
                return -1;
            }
        }
        for (int side = 0; side < 2; side++) {
            int c = i.arg(side);
            if (constant[c] == null) continue;
            long v = wide ? constant[c].imm : (int) constant[c].imm;
            long shiftMask = wide ? 63 : 31;
            boolean identity = switch (i.op) {
                case I32_ADD, I64_ADD, I32_OR, I64_OR, I32_XOR, I64_XOR -> v == 0;
                case I32_MUL, I64_MUL -> v == 1;
                case I32_AND, I64_AND -> v == -1;
                case I32_SUB, I64_SUB -> side == 1 && v == 0;
                case I32_SHL, I64_SHL, I32_SHR_S, I64_SHR_S, I32_SHR_U, I64_SHR_U, I32_ROTL, I64_ROTL, I32_ROTR, I64_ROTR ->
                        side == 1 && (v & shiftMask) == 0;
                default -> false;
            };
            if (identity) return 1 - side;
        }
        return -1;
    }

    static boolean isConstant(Opcode op) {
        return op == Opcode.I32_CONST || op == Opcode.I64_CONST || op == Opcode.F32_CONST || op == Opcode.F64_CONST;
    }

    static Opcode constOf(ValType t) {
        return switch (t.machine()) {
            case I32 -> Opcode.I32_CONST;
            case I64 -> Opcode.I64_CONST;
            case F32 -> Opcode.F32_CONST;
            case F64 -> Opcode.F64_CONST;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Constants keep 32-bit values sign-extended (i32) or zero-extended (f32 bits), as the builder does. */
    static long normalize(ValType t, long v) {
        return switch (t.machine()) {
            case I32 -> (int) v;
            case F32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    private static boolean allKnown(Instruction i, Instruction[] constant) {
        for (int k = 0; k < i.argCount(); k++) if (constant[i.arg(k)] == null) return false;
        return true;
    }

    private static boolean foldTerminator(BasicBlock b, Instruction[] constant, ValueRenaming renaming) {
        switch (b.terminator) {
            case Terminator.Branch br -> {
                br.condition = renaming.resolve(br.condition);
                if (constant[br.condition] == null) return false;
                Edge taken = (int) constant[br.condition].imm != 0 ? br.ifTrue : br.ifFalse;
                b.terminator = new Terminator.Jump(taken);
                return true;
            }
            case Terminator.Switch s -> {
                s.index = renaming.resolve(s.index);
                if (constant[s.index] == null) return false;
                long idx = constant[s.index].imm & 0xFFFF_FFFFL;
                Edge taken = idx < s.targets.length ? s.targets[(int) idx] : s.defaultTarget;
                b.terminator = new Terminator.Jump(taken);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

}
