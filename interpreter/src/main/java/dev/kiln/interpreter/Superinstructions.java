package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import java.util.Set;

/**
 * Pairs of adjacent IR instructions the interpreter runs as one instruction, where the second
 * reads the first's result. The pairs are the most frequent ones in measured instruction-pair
 * counts over the benchmark programs ({@code -Dkiln.interp.profile=FILE}; bench/README.md says how
 * to repeat the measurement): an address computed by adding a constant and then loaded from or
 * stored to, a 64-bit load feeding an f64 multiply, and an f64 multiply feeding an add. The first result is
 * still written to its slot, so other uses of it see it.
 */
final class Superinstructions {
    private static final Set<Opcode> LOADS_I32 = Set.of(Opcode.I32_LOAD, Opcode.F32_LOAD, Opcode.I64_LOAD32_S);
    private static final Set<Opcode> LOADS_I64 = Set.of(Opcode.I64_LOAD, Opcode.F64_LOAD);
    private static final Set<Opcode> STORES_I8 = Set.of(Opcode.I32_STORE8, Opcode.I64_STORE8);
    private static final Set<Opcode> STORES_I32 = Set.of(Opcode.I32_STORE, Opcode.F32_STORE, Opcode.I64_STORE32);

    private Superinstructions() {
    }

    /** Emits {@code first} and {@code second} as one instruction when they form a superinstruction; false otherwise. */
    static boolean fuse(FunctionCompiler fc, Instruction first, Instruction second) {
        if (second.argCount() == 0 || first.resultCount() != 1) return false;
        int v = first.result();
        Immediates.Form add = first.op == Opcode.I32_ADD || first.op == Opcode.I32_SUB ? Immediates.of(first, fc.constantDefs) : null;
        if (add != null && second.arg(0) == v && (LOADS_I32.contains(second.op) || LOADS_I64.contains(second.op))) {
            fc.trapSite(second.wasmOffset);
            fc.code.emit(LOADS_I32.contains(second.op) ? Op.ADD_IMM_LOAD_I32 : Op.ADD_IMM_LOAD_I64, fc.slot(v),
                    fc.slot(first.arg(add.slotArg())), add.imm(), fc.slot(second.result()), (int) second.imm);
            return true;
        }
        if (add != null && second.argCount() == 2 && second.arg(0) == v && second.arg(1) != v
                && (STORES_I8.contains(second.op) || STORES_I32.contains(second.op))) {
            fc.trapSite(second.wasmOffset);
            fc.code.emit(STORES_I8.contains(second.op) ? Op.ADD_IMM_STORE_I8 : Op.ADD_IMM_STORE_I32, fc.slot(v),
                    fc.slot(first.arg(add.slotArg())), add.imm(), fc.slot(second.arg(1)), (int) second.imm);
            return true;
        }
        if (LOADS_I64.contains(first.op) && second.op == Opcode.F64_MUL && (second.arg(0) == v) != (second.arg(1) == v)) {
            fc.trapSite(first.wasmOffset);
            fc.code.emit(Op.LOAD_I64_MUL_F64, fc.slot(v), fc.slot(first.arg(0)), (int) first.imm, fc.slot(second.result()),
                    fc.slot(second.arg(second.arg(0) == v ? 1 : 0)));
            return true;
        }
        if (first.op == Opcode.F64_MUL && second.op == Opcode.F64_ADD && (second.arg(0) == v) != (second.arg(1) == v)) {
            fc.code.emit(Op.F64_MUL_ADD, fc.slot(v), fc.slot(first.arg(0)), fc.slot(first.arg(1)), fc.slot(second.result()),
                    fc.slot(second.arg(second.arg(0) == v ? 1 : 0)));
            return true;
        }
        return false;
    }
}
