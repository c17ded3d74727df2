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
    /** {@link #single} when the instruction defines no value. */
    private static final int NO_RESULT = -1;
    /** {@link #single} when the results (not exactly one) are in {@link Wide#results}. */
    private static final int RESULTS_IN_WIDE = -2;

    public final Opcode op;
    /**
     * What does not fit the fields below, rarely present: null; an {@code int[]} of all the arguments
     * when there are more than two (and nothing else is); or a {@link Wide}. Kept in one reference so
     * that an instruction is 48 bytes (it was 56 with a reference each for extra arguments and for
     * results, and a {@code long} second immediate): on a straight-line body instructions are most of
     * the compiler's memory.
     */
    private Object extra;
    /** Up to two arguments (-1 where absent) when {@link #extra} holds none. */
    private int a0;
    private int a1;
    /** The single result; or {@link #NO_RESULT}, or {@link #RESULTS_IN_WIDE}. */
    private final int single;
    /** {@link #imm2()} when its high 32 bits are zero and {@link #extra} is no {@link Wide}. */
    private final int imm2Low;
    public long imm;
    /**
     * Byte offset of the originating Wasm instruction in the module (for trap locations), -1 for none;
     * in code inlining copied in, a location its function's {@link InlineSites} resolves.
     */
    public final int wasmOffset;

    /** The rare parts: more than two arguments (or null), results not exactly one (or null), a second immediate. */
    private static final class Wide {
        int[] moreArgs;
        int[] results;
        long imm2;
    }

    public Instruction(Opcode op, int[] args, int[] results, long imm, long imm2, int wasmOffset) {
        this.op = op;
        Wide wide = null;
        if (results.length > 1 || imm2 >>> 32 != 0) {
            wide = new Wide();
            wide.results = results.length > 1 ? results : null;
            wide.imm2 = imm2;
            this.extra = wide;
        }
        this.single = results.length == 1 ? results[0] : results.length == 0 ? NO_RESULT : RESULTS_IN_WIDE;
        this.imm2Low = (int) imm2;
        setArgs(args);
        this.imm = imm;
        this.wasmOffset = wasmOffset;
    }

    /** The second immediate (see the class comment). */
    public long imm2() {
        return extra instanceof Wide w ? w.imm2 : imm2Low & 0xFFFF_FFFFL;
    }

    /** All the arguments when there are more than two, else null. */
    private int[] moreArgs() {
        Object e = extra;
        return e == null ? null : e instanceof int[] a ? a : ((Wide) e).moreArgs;
    }

    /** The number of arguments. */
    public int argCount() {
        int[] more = moreArgs();
        return more != null ? more.length : a0 < 0 ? 0 : a1 < 0 ? 1 : 2;
    }

    /** Argument {@code k}. */
    public int arg(int k) {
        int[] more = moreArgs();
        if (more != null) return more[k];
        int v = k == 0 ? a0 : k == 1 ? a1 : -1;
        if (v < 0) throw new IndexOutOfBoundsException("argument " + k + " of " + argCount());
        return v;
    }

    /** Replaces argument {@code k} with value {@code v}. */
    public void setArg(int k, int v) {
        int[] more = moreArgs();
        if (more != null) {
            more[k] = v;
        } else if (k < argCount()) {
            if (k == 0) a0 = v;
            else a1 = v;
        } else {
            throw new IndexOutOfBoundsException("argument " + k + " of " + argCount());
        }
    }

    /** The arguments, in a new array. */
    public int[] args() {
        int[] more = moreArgs();
        if (more != null) return more.clone();
        return a0 < 0 ? NONE : a1 < 0 ? new int[] {a0} : new int[] {a0, a1};
    }

    /** Replaces the arguments with {@code args} (an array of more than two is kept, shorter ones are not). */
    public void setArgs(int[] args) {
        for (int v : args) if (v < 0) throw new IllegalArgumentException("no value " + v);
        int[] more = args.length > 2 ? args : null;
        if (extra instanceof Wide w) w.moreArgs = more;
        else extra = more;
        a0 = args.length > 0 ? args[0] : -1;
        a1 = args.length > 1 ? args[1] : -1;
    }

    /** The single result, for instructions that define exactly one value (the first of several). */
    public int result() {
        return result(0);
    }

    /** Result {@code k}. */
    public int result(int k) {
        if (single == RESULTS_IN_WIDE) return ((Wide) extra).results[k];
        if (k != 0 || single == NO_RESULT) throw new IndexOutOfBoundsException(k);
        return single;
    }

    /** The number of values the instruction defines. */
    public int resultCount() {
        return single >= 0 ? 1 : single == NO_RESULT ? 0 : ((Wide) extra).results.length;
    }

    /** The defined values, in a new array. */
    public int[] results() {
        return single >= 0 ? new int[] {single} : single == NO_RESULT ? NONE : ((Wide) extra).results.clone();
    }

    public boolean hasResult() {
        return single != NO_RESULT;
    }

    /**
     * True when removing the instruction cannot change behaviour if its results are unused: no
     * side effect and no possible trap.
     */
    public boolean isPure() {
        return Effects.isPure(op);
    }
}
