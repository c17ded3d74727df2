package dev.kiln.regalloc;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.HashMap;
import java.util.Map;

/**
 * Constants that need no register: those whose every use is one where the backend encodes the
 * constant in the instruction (or names it in its constant pool). The scan over the uses is the
 * same for every target; which uses qualify is the backend's {@link Encodings}. An integer
 * constant passed along a jump's edge needs no register either: the backend writes it straight
 * into the parameter's location after the edge's other moves ({@code MachineFunction}), so a
 * constant used only there is never materialised inside a loop. Values used by any other
 * terminator always need a register. The result is what {@link LinearScan#allocate} leaves out of
 * allocation.
 */
public final class ImmediateConstants {
    /** Where a backend's lowering encodes a constant operand instead of reading a register. */
    public interface Encodings {
        /** Whether {@code use} reads its float constant operands without a register. */
        boolean floatOperand(Instruction use);

        /**
         * Whether operand {@code position} of {@code use}, the integer constant {@code value}, is
         * encoded in the instruction; {@code constants} holds every integer constant of the
         * function by value number (a lowering may take only one constant operand).
         */
        boolean integerOperand(Instruction use, int position, long value, Map<Integer, Long> constants);

        /** Whether operand {@code position} of {@code use}, a v128 constant, is read from the constant pool. */
        default boolean vectorOperand(Instruction use, int position) {
            return false;
        }
    }

    private ImmediateConstants() {
    }

    /** For each value of {@code f}: true when it is a constant that every use encodes. */
    public static boolean[] immediateOnly(IrFunction f, Encodings encodings) {
        Map<Integer, Long> constants = new HashMap<>();
        boolean[] floats = new boolean[f.valueCount()];
        boolean[] vectors = new boolean[f.valueCount()];
        boolean[] only = new boolean[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.I32_CONST || i.op == Opcode.I64_CONST) constants.put(i.result(), i.imm);
                if (i.op == Opcode.F32_CONST || i.op == Opcode.F64_CONST) floats[i.result()] = true;
                if (i.op == Opcode.V128_CONST) vectors[i.result()] = true;
            }
        }
        for (int v : constants.keySet()) only[v] = true;
        for (int v = 0; v < floats.length; v++) if (floats[v] || vectors[v]) only[v] = true;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                for (int k = 0; k < i.argCount(); k++) {
                    int v = i.arg(k);
                    if (!only[v]) continue;
                    boolean ok = vectors[v] ? encodings.vectorOperand(i, k)
                            : floats[v] ? encodings.floatOperand(i) : encodings.integerOperand(i, k, constants.get(v), constants);
                    if (!ok) only[v] = false;
                }
            }
            for (int v : b.terminator.operands()) only[v] = false;
            boolean jump = b.terminator instanceof Terminator.Jump;
            for (Edge e : b.terminator.edges()) for (int v : e.args) if (!jump || floats[v] || vectors[v]) only[v] = false;
        }
        return only;
    }
}
