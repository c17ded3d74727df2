package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;

import java.util.Arrays;

/**
 * What an instruction computes, as a hash key: its operation, immediates and operands. Two
 * instructions with equal computations give equal results when what they read besides their
 * operands (memory, for a load) is the same.
 */
record Computation(Opcode op, long imm, long imm2, int[] args) {
    static final int[] NO_ARGS = new int[0];

    @Override
    public boolean equals(Object o) {
        return o instanceof Computation k && k.op == op && k.imm == imm && k.imm2 == imm2 && Arrays.equals(k.args, args);
    }

    @Override
    public int hashCode() {
        return ((op.hashCode() * 31 + Long.hashCode(imm)) * 31 + Long.hashCode(imm2)) * 31 + Arrays.hashCode(args);
    }

    @Override
    public String toString() {
        return op + " " + imm + " " + imm2 + " " + Arrays.toString(args);
    }
}
