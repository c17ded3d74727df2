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
    private static final int[] NONE = new int[0];

    public final Opcode op;
    /**
     * Up to two arguments are kept in {@link #a0} and {@link #a1} (-1 where absent) and
     * {@code moreArgs} is null; with more, {@code moreArgs} holds them all. Arrays of one or two
     * values per instruction were another quarter of the IR's memory.
     */
    private int[] moreArgs;
    private int a0;
    private int a1;
    /**
     * The results when there are not exactly one (calls, multi-value); null for the common single
     * result, kept in {@link #single} instead: an {@code int[1]} per instruction was a quarter of the
     * IR's memory on a straight-line body.
     */
    private final int[] results;
    private final int single;
    public long imm;
    public long imm2;
    /** Byte offset of the originating Wasm instruction in the module (for trap locations). */
    public final int wasmOffset;

    public Instruction(Opcode op, int[] args, int[] results, long imm, long imm2, int wasmOffset) {
        this.op = op;
        setArgs(args);
        this.results = results.length == 1 ? null : results.length == 0 ? NONE : results;
        this.single = results.length == 1 ? results[0] : -1;
        this.imm = imm;
        this.imm2 = imm2;
        this.wasmOffset = wasmOffset;
    }

    /** The number of arguments. */
    public int argCount() {
        return moreArgs != null ? moreArgs.length : a0 < 0 ? 0 : a1 < 0 ? 1 : 2;
    }

    /** Argument {@code k}. */
    public int arg(int k) {
        if (moreArgs != null) return moreArgs[k];
        int v = k == 0 ? a0 : k == 1 ? a1 : -1;
        if (v < 0) throw new IndexOutOfBoundsException("argument " + k + " of " + argCount());
        return v;
    }

    /** Replaces argument {@code k} with value {@code v}. */
    public void setArg(int k, int v) {
        if (moreArgs != null) {
            moreArgs[k] = v;
        } else if (k < argCount()) {
            if (k == 0) a0 = v;
            else a1 = v;
        } else {
            throw new IndexOutOfBoundsException("argument " + k + " of " + argCount());
        }
    }

    /** The arguments, in a new array. */
    public int[] args() {
        if (moreArgs != null) return moreArgs.clone();
        return a0 < 0 ? NONE : a1 < 0 ? new int[] {a0} : new int[] {a0, a1};
    }

    /** Replaces the arguments with {@code args} (an array of more than two is kept, shorter ones are not). */
    public void setArgs(int[] args) {
        for (int v : args) if (v < 0) throw new IllegalArgumentException("no value " + v);
        moreArgs = args.length > 2 ? args : null;
        a0 = args.length > 0 ? args[0] : -1;
        a1 = args.length > 1 ? args[1] : -1;
    }

    /** The single result, for instructions that define exactly one value (the first of several). */
    public int result() {
        return results != null ? results[0] : single;
    }

    /** Result {@code k}. */
    public int result(int k) {
        if (results != null) return results[k];
        if (k != 0) throw new IndexOutOfBoundsException(k);
        return single;
    }

    /** The number of values the instruction defines. */
    public int resultCount() {
        return results == null ? 1 : results.length;
    }

    /** The defined values, in a new array. */
    public int[] results() {
        return results == null ? new int[] {single} : results.clone();
    }

    public boolean hasResult() {
        return results == null || results.length > 0;
    }

    /**
     * True when removing the instruction cannot change behaviour if its results are unused: no
     * side effect and no possible trap.
     */
    public boolean isPure() {
        return Effects.isPure(op);
    }
}
