package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs of adjacent IR instructions the interpreter runs as one instruction, where the second
 * reads the first's result, as a data table: which first and second operations, the operand shape
 * of the pair, and the fused opcode. The pairs are the most frequent ones in measured
 * instruction-pair counts over the benchmark programs ({@code -Dkiln.interp.profile=FILE};
 * bench/README.md says how to repeat the measurement): an address computed by adding a constant
 * and then loaded from or stored to, a 64-bit load feeding an f64 multiply, an f64 multiply feeding
 * an add or another multiply, and an i32 add feeding the block's compare-and-branch ({@link #addAndBranch}). The first
 * result is still written to its slot, so other uses of it see it.
 */
final class Superinstructions {
    /** How a pair's operands are laid out in the fused instruction. */
    private enum Shape {
        /** {@code d1 = a + k; d2 = load(d1 + offset)}: {@code d1 a k d2 offset}. */
        ADDRESS_LOAD,
        /** {@code d1 = a + k; store(d1 + offset, v)}: {@code d1 a k v offset}. */
        ADDRESS_STORE,
        /** {@code d1 = load(addr + offset); d2 = d1 op b}: {@code d1 addr offset d2 b}. */
        LOAD_OPERAND,
        /** {@code d1 = a op b; d2 = d1 op2 c}: {@code d1 a b d2 c}. */
        OPERAND
    }

    /** One superinstruction: {@code first} then {@code second} (reading the first's result) as {@code fused}. */
    private record Pair(Set<Opcode> first, Set<Opcode> second, Shape shape, int fused) {
    }

    /** An i32 add by a constant (a subtraction is an add of its negation). */
    private static final Set<Opcode> ADD = Set.of(Opcode.I32_ADD, Opcode.I32_SUB);

    private static final List<Pair> PAIRS = List.of(
            new Pair(ADD, Set.of(Opcode.I32_LOAD, Opcode.F32_LOAD, Opcode.I64_LOAD32_S), Shape.ADDRESS_LOAD, Op.ADD_IMM_LOAD_I32),
            new Pair(ADD, Set.of(Opcode.I64_LOAD, Opcode.F64_LOAD), Shape.ADDRESS_LOAD, Op.ADD_IMM_LOAD_I64),
            new Pair(ADD, Set.of(Opcode.I32_LOAD8_U, Opcode.I64_LOAD8_U), Shape.ADDRESS_LOAD, Op.ADD_IMM_LOAD_I8_U),
            new Pair(ADD, Set.of(Opcode.I32_STORE8, Opcode.I64_STORE8), Shape.ADDRESS_STORE, Op.ADD_IMM_STORE_I8),
            new Pair(ADD, Set.of(Opcode.I32_STORE, Opcode.F32_STORE, Opcode.I64_STORE32), Shape.ADDRESS_STORE, Op.ADD_IMM_STORE_I32),
            new Pair(Set.of(Opcode.I64_LOAD, Opcode.F64_LOAD), Set.of(Opcode.F64_MUL), Shape.LOAD_OPERAND, Op.LOAD_I64_MUL_F64),
            new Pair(Set.of(Opcode.F64_MUL), Set.of(Opcode.F64_ADD), Shape.OPERAND, Op.F64_MUL_ADD),
            new Pair(Set.of(Opcode.F64_MUL), Set.of(Opcode.F64_MUL), Shape.OPERAND, Op.F64_MUL_MUL));

    /**
     * An i32 add joined with the compare-and-branch (against an immediate) that tests its result,
     * by the branch's opcode: with the add's constant as an immediate ({@code d a k imm target}) and
     * with two slots ({@code d a b imm target}). The most frequent loop tests in the pair counts:
     * {@code i += k; if (i != n)}, {@code k++; if (k == n) break} and {@code j += i; if (j < n)}.
     */
    private static final Map<Integer, Integer> ADD_IMM_BRANCH = Map.of(
            Op.BR_I32_NE_IMM, Op.ADD_IMM_BR_NE_IMM,
            Op.BR_I32_EQ_IMM, Op.ADD_IMM_BR_EQ_IMM);
    private static final Map<Integer, Integer> ADD_BRANCH = Map.of(Op.BR_I32_LT_U_IMM, Op.ADD_BR_LT_U_IMM);

    /** The fused f64 compare-and-branch of a comparison: taken when true, taken when false, whether the operands swap. */
    record FloatBranch(int whenTrue, int whenFalse, boolean swapped) {
    }

    private static final Map<Opcode, FloatBranch> FLOAT_BRANCHES = new EnumMap<>(Map.of(
            Opcode.F64_LT, new FloatBranch(Op.BR_F64_LT, Op.BR_F64_NOT_LT, false),
            Opcode.F64_GT, new FloatBranch(Op.BR_F64_LT, Op.BR_F64_NOT_LT, true),
            Opcode.F64_LE, new FloatBranch(Op.BR_F64_LE, Op.BR_F64_NOT_LE, false),
            Opcode.F64_GE, new FloatBranch(Op.BR_F64_LE, Op.BR_F64_NOT_LE, true)));

    private Superinstructions() {
    }

    /** The fused branch of f64 comparison {@code op}, or null when it has none. */
    static FloatBranch floatBranch(Opcode op) {
        return FLOAT_BRANCHES.get(op);
    }

    /** Emits {@code first} and {@code second} as one instruction when they form a superinstruction; false otherwise. */
    static boolean fuse(FunctionCompiler fc, Instruction first, Instruction second) {
        if (second.argCount() == 0 || first.resultCount() != 1) return false;
        for (Pair p : PAIRS) {
            if (p.first.contains(first.op) && p.second.contains(second.op) && emit(fc, p, first, second)) return true;
        }
        return false;
    }

    private static boolean emit(FunctionCompiler fc, Pair p, Instruction first, Instruction second) {
        int v = first.result();
        switch (p.shape) {
            case ADDRESS_LOAD, ADDRESS_STORE -> {
                Immediates.Form add = Immediates.of(first, fc.constantDefs);
                boolean store = p.shape == Shape.ADDRESS_STORE;
                if (add == null || second.arg(0) != v || store && (second.argCount() != 2 || second.arg(1) == v)) return false;
                fc.trapSite(second.wasmOffset);
                fc.code.emit(p.fused, fc.slot(v), fc.slot(first.arg(add.slotArg())), add.imm(),
                        fc.slot(store ? second.arg(1) : second.result()), (int) second.imm);
            }
            case LOAD_OPERAND, OPERAND -> {
                if ((second.arg(0) == v) == (second.arg(1) == v)) return false; // the first's result is exactly one operand
                int other = fc.slot(second.arg(second.arg(0) == v ? 1 : 0));
                if (p.shape == Shape.LOAD_OPERAND) {
                    fc.trapSite(first.wasmOffset);
                    fc.code.emit(p.fused, fc.slot(v), fc.slot(first.arg(0)), (int) first.imm, fc.slot(second.result()), other);
                } else {
                    fc.code.emit(p.fused, fc.slot(v), fc.slot(first.arg(0)), fc.slot(first.arg(1)), fc.slot(second.result()), other);
                }
            }
        }
        return true;
    }

    /**
     * Emits the i32 add {@code add} (or subtraction of a constant) and the compare-and-branch {@code branch} (against an
     * immediate) on its result as one instruction, all but the target, when a superinstruction
     * has that shape; false when none has.
     */
    static boolean addAndBranch(FunctionCompiler fc, Instruction add, Immediates.Form branch) {
        Immediates.Form form = Immediates.of(add, fc.constantDefs);
        if (form == null && add.op != Opcode.I32_ADD) return false; // x - y: no two-slot form
        Integer fused = (form != null ? ADD_IMM_BRANCH : ADD_BRANCH).get(branch.opcode());
        if (fused == null) return false;
        if (form != null) fc.code.emit(fused, fc.slot(add.result()), fc.slot(add.arg(form.slotArg())), form.imm(), branch.imm());
        else fc.code.emit(fused, fc.slot(add.result()), fc.slot(add.arg(0)), fc.slot(add.arg(1)), branch.imm());
        return true;
    }
}
