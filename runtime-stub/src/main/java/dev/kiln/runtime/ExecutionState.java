package dev.kiln.runtime;

import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A store's execution state in native memory ({@link ExecutionStateLayout}), and the Java side of
 * a trap that started in Java: when a host function or helper called from native code fails, the
 * exception waits here while native code unwinds, then the entry point rethrows it with the native
 * frames added.
 */
final class ExecutionState {
    private static final ThreadLocal<TrapException> PENDING_TRAP = new ThreadLocal<>();
    private static final ThreadLocal<Integer> PENDING_EXIT = new ThreadLocal<>();
    private static final ThreadLocal<ThrownException> PENDING_THROW = new ThreadLocal<>();
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle FUEL = ValueLayout.JAVA_LONG.varHandle();

    final MemorySegment segment;

    ExecutionState(Arena arena) {
        this.segment = arena.allocate(ExecutionStateLayout.SIZE, 16);
    }

    long address() {
        return segment.address();
    }

    /** Records a trap raised in Java on behalf of native code (the caller checks TRAP_CODE). */
    static void raise(long stateAddress, TrapException t) {
        PENDING_TRAP.set(t);
        NATIVE.set(ValueLayout.JAVA_INT, stateAddress + ExecutionStateLayout.TRAP_CODE, t.kind.code);
    }

    /** Records a trap with no Java side (used where even making one could fail for want of stack). */
    static void raiseCode(long stateAddress, TrapKind kind) {
        NATIVE.set(ValueLayout.JAVA_INT, stateAddress + ExecutionStateLayout.TRAP_CODE, kind.code);
    }

    static void exit(long stateAddress, int code) {
        PENDING_EXIT.set(code);
        NATIVE.set(ValueLayout.JAVA_INT, stateAddress + ExecutionStateLayout.TRAP_CODE, ExecutionStateLayout.EXIT);
    }

    /**
     * Records a Wasm exception raised in Java or by a native throw on behalf of native code: the
     * trap routine looks for a native frame that catches it ({@link NativeExceptions}); with none,
     * native code unwinds to the entry point, which rethrows it to the Java caller (the interpreter,
     * which may catch it, or the API).
     */
    static void raise(long stateAddress, ThrownException e) {
        PENDING_THROW.set(e);
        NATIVE.set(ValueLayout.JAVA_INT, stateAddress + ExecutionStateLayout.TRAP_CODE, ExecutionStateLayout.THROW);
    }

    /**
     * Forgets the trap code the entry trampoline returned: what it meant (a trap, an exception, an exit)
     * is the Java caller's now. Nested entries share the execution state, so a code left behind would
     * make native code further out, once Java or the interpreter has dealt with it (an exception
     * caught there) and returned to it normally, unwind as if it were still in flight.
     */
    void clearTrapCode() {
        segment.set(ValueLayout.JAVA_INT, ExecutionStateLayout.TRAP_CODE, 0);
    }

    /** The exception pending on this thread, left pending; null when none. */
    static ThrownException pendingThrow() {
        return PENDING_THROW.get();
    }

    static ThrownException takePendingThrow() {
        ThrownException e = PENDING_THROW.get();
        PENDING_THROW.remove();
        return e;
    }

    static TrapException takePendingTrap() {
        TrapException t = PENDING_TRAP.get();
        PENDING_TRAP.remove();
        return t;
    }

    static int takePendingExit() {
        Integer c = PENDING_EXIT.get();
        PENDING_EXIT.remove();
        return c == null ? 0 : c;
    }

    long fuel() {
        return (long) FUEL.getVolatile(segment, (long) ExecutionStateLayout.FUEL);
    }

    void setFuel(long units) {
        FUEL.setVolatile(segment, (long) ExecutionStateLayout.FUEL, units);
    }

    /**
     * Consumes one unit of fuel for the interpreter (a function entry or loop back-edge); false
     * when none is left. Native code of the same store decrements the same word.
     */
    static boolean consumeFuel(long stateAddress) {
        long f = NATIVE.get(ValueLayout.JAVA_LONG, stateAddress + ExecutionStateLayout.FUEL);
        if (f <= 0) return false;
        NATIVE.set(ValueLayout.JAVA_LONG, stateAddress + ExecutionStateLayout.FUEL, f - 1);
        return true;
    }

    /** Frames the trap routine recorded (at most {@code MAX_FRAMES}). */
    int frameCount() {
        return (int) Math.min(walkedFrames(), ExecutionStateLayout.MAX_FRAMES);
    }

    /** Frames the trap routine walked: the recorded ones and those past the limit, only counted. */
    long walkedFrames() {
        return segment.get(ValueLayout.JAVA_LONG, ExecutionStateLayout.FRAME_COUNT);
    }

    long frame(int i) {
        return segment.get(ValueLayout.JAVA_LONG, ExecutionStateLayout.FRAMES + 8L * i);
    }

}
