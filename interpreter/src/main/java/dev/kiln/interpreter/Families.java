package dev.kiln.interpreter;

/**
 * The instruction families and how the dispatch loop reaches them. Opcodes come in families of 256
 * ({@code op >>> SHIFT}). {@link #CORE} runs inline in {@link Interpreter}'s loop; every other
 * family is one method in a class of its own, reached from the loop's {@code default} branch
 * through {@link #pure} or {@link #effectful}. Each such method is a switch over its family's
 * opcodes that returns the next pc. {@code DispatchSizeTest} fails when any of these methods (or
 * the loop) grows past {@code DispatchSizeTest.LIMIT} bytes of bytecode.
 *
 * <p>Adding a family: take the next free number below {@link #COUNT} (or raise it), define the
 * opcodes in {@link Op} at {@code number << SHIFT} and up, write the class, and add one case here
 * (pure when it only reads and writes frame slots; effectful when it may touch memory, tables,
 * globals, the frame stack or call out). An effectful method gets the interpreter stack with the
 * running frame in it ({@link InterpreterStack#fn}, {@code fp} and {@code depth} are always current, {@code pc} is saved before the call);
 * to switch frames (a call, a tail call, an exception handler) it updates those and returns
 * {@link #RELOAD}, or {@link #ENTERED} when a function was entered (the loop then counts the
 * entry for fuel and tier-up). v128 values take two consecutive slots ({@code r[fp + s]} low,
 * {@code r[fp + s + 1]} high).
 */
final class Families {
    static final int SHIFT = 8;
    static final int CORE = 0;
    static final int INT = 1;
    static final int FLOAT = 2;
    /** Families from here on are effectful. */
    static final int FIRST_EFFECTFUL = 3;
    static final int MEMORY = 3;
    static final int CALLS = 4;
    /** Reserved: SIMD (two families of 256) and Wasm 3.0 execution. */
    static final int SIMD = 5;
    static final int SIMD2 = 6;
    static final int WASM3 = 7;
    /** GC instructions (GcOps). */
    static final int GC = 8;
    static final int COUNT = 9;
    /** The first opcode of an effectful family. */
    static final int FIRST_EFFECTFUL_OP = FIRST_EFFECTFUL << SHIFT;

    /** Returned by an effectful family: the running frame changed; reload it from the stack. */
    static final int RELOAD = -1;
    /** Returned by an effectful family: a function was entered (a new frame runs from pc 0). */
    static final int ENTERED = -2;

    private Families() {
    }

    /** Runs an instruction of a pure family; returns the next pc. */
    static int pure(int op, long[] r, int[] c, int pc, int fp) {
        return switch (op >>> SHIFT) {
            case INT -> IntegerOps.run(op, r, c, pc, fp);
            case FLOAT -> FloatOps.run(op, r, c, pc, fp);
            default -> throw badOpcode(op, pc);
        };
    }

    /**
     * Runs an instruction of an effectful family (and a {@link Op#CALL} whose callee the loop could
     * not enter directly); returns the next pc, {@link #RELOAD} or {@link #ENTERED}.
     */
    static int effectful(int op, long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        return switch (op >>> SHIFT) {
            case CORE, CALLS -> CallOps.run(op, r, c, pc, fp, st, ctx);
            case MEMORY -> MemoryOps.run(op, r, c, pc, fp, ctx);
            case SIMD -> SimdExecution.run(op, r, c, pc, fp, ctx);
            case WASM3 -> Wasm3Ops.run(op, r, c, pc, fp, st, ctx);
            case GC -> GcOps.run(op, r, c, pc, fp, ctx);
            default -> throw badOpcode(op, pc);
        };
    }

    static IllegalStateException badOpcode(int op, int pc) {
        return new IllegalStateException("bad interpreter opcode " + op + " at " + pc);
    }
}
