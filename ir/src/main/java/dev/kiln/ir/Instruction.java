package dev.kiln.ir;

import dev.kiln.frontend.Opcode;

/**
 * One non-terminating IR instruction: a WebAssembly operation ({@link Opcode}, the one opcode
 * table) applied to SSA values, defining zero or more new values. Locals and the operand stack are
 * gone (they became SSA values and block parameters); everything else keeps its Wasm meaning.
 *
 * <p>Immediates, by the opcode's {@link dev.kiln.frontend.Immediate} kind:
 * constants: {@code imm} = bits ({@code imm2} = high half of a v128);
 * memory accesses: {@code imm} = static offset, {@code imm2} = alignment exponent (lane index for
 * load/store lane); index operations: {@code imm} = the index (function, global, table, type, data,
 * element), {@code imm2} = the second index (call_indirect's table, table.copy's source,
 * table.init's table); lane operations: {@code imm} = lane; shuffle: {@code imm}/{@code imm2} = the
 * 16 lane bytes; ref.null: {@code imm} = the reference type's code.
 *
 * <p>Argument order is the Wasm operand order (first pushed first); call_indirect takes the call's
 * arguments followed by the table index.
 */
public final class Instruction {
    public final Opcode op;
    public int[] args;
    public int[] results;
    public long imm;
    public long imm2;
    /** Byte offset of the originating Wasm instruction in the module (for trap locations). */
    public final int wasmOffset;

    public Instruction(Opcode op, int[] args, int[] results, long imm, long imm2, int wasmOffset) {
        this.op = op;
        this.args = args;
        this.results = results;
        this.imm = imm;
        this.imm2 = imm2;
        this.wasmOffset = wasmOffset;
    }

    /** The single result, for instructions that define exactly one value. */
    public int result() {
        return results[0];
    }

    public boolean hasResult() {
        return results.length > 0;
    }

    /**
     * True when removing the instruction cannot change behaviour if its results are unused: no
     * side effect and no possible trap.
     */
    public boolean isPure() {
        return Effects.isPure(op);
    }
}
