package dev.kiln.interpreter;

import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;

import java.util.Arrays;

/**
 * One thread's interpreter state: the value stack that holds every frame's slots, and the frame
 * stack of suspended callers. Wasm calls push frames here instead of recursing in Java. Re-entry
 * (a host function calling back into Wasm) continues above the current top.
 *
 * <p>Frames are budgeted in bytes of guest stack, like native frames: each frame counts as its
 * function's {@link CompiledFunction#stackBytes}, about what the native code of the same function
 * takes. Each invocation gets a cap from the runtime ({@link InstanceContext#stackBytesAvailable});
 * a call past it traps with "call stack exhausted", the budget native code checks too.
 */
final class InterpreterStack {
    /** What every frame costs: a native frame's return address and saved frame pointer. */
    static final int FRAME_BYTES = 16;
    /** Bounds the heap the value stack takes, whatever budget the runtime gives (128 MiB of slots). */
    static final int MAX_SLOTS = 16 << 20;

    /**
     * Every frame's slots. The last {@link #HEADER} slots of a frame, just below the frame of its
     * callee, are the callee's header: where a call saves what its return restores, so that a
     * return reads nothing of this object but the frame functions (a load that CALL shares with
     * RETURN is placed by C2 above the dispatch switch, where every instruction pays for it):
     * {@code fp - 1} holds the caller's pc and frame pointer ({@link #link}), {@code fp - 2} the
     * caller's {@link #bytes} and {@link #depth} ({@link #saved}). An invocation's bottom frame
     * has {@link #BOTTOM} in place of the latter.
     */
    long[] slots = new long[1 << 14];
    /**
     * The function of each frame: of the suspended callers below {@link #depth} and of the running
     * frame at {@code depth} ({@link #fn()}), so that a call stores one reference and a return none.
     * Index 0 is never a frame: an invocation's bottom frame sits one above the depth it starts at.
     */
    CompiledFunction[] frameFunction = new CompiledFunction[256];
    int depth;
    /** The highest slot top a frame reached since the last trap or exception out of an outermost invocation. */
    int highWater;
    /** First free slot above the frames of suspended invocations (for re-entry). */
    int top;
    /**
     * Function entries left before {@link InstanceContext#poll} is due. Loop back-edges count in
     * {@link #loopPollCountdown}: a CALL and a back-edge then read no field in common, which C2
     * would load once above the dispatch switch, for every instruction. Each polls when its own
     * count runs out and starts again from what that poll returned; an invocation's entry polls
     * once and starts both (so a poll still reports, through what it returns, about as many events
     * as follow it). With fuel, poll returns 0 and both poll at every event.
     */
    int pollCountdown;
    /** Loop back-edges left before {@link InstanceContext#poll} is due (see {@link #pollCountdown}). */
    int loopPollCountdown;
    /** Bytes of guest stack the frames on this thread count as, the running ones included. */
    long bytes;
    /** The most {@link #bytes} the running invocation may reach. */
    long capBytes = Long.MAX_VALUE;
    /** Hotness weights and threshold, copied from {@link Interpreter}'s settings at each invocation. */
    int callWeight;
    int loopWeight;
    long hotThreshold;
    /**
     * The running frame's pc and frame pointer, saved here while an effectful family method runs (see
     * {@link Families}): such a method may switch frames by changing these, {@link #depth} and
     * {@link #frameFunction}{@code [depth]}.
     */
    int pc;
    int fp;
    /**
     * The running invocation's instance and its memory 0's base address: the dispatch loop reloads
     * them (with {@link #fn()}, {@link #pc}, {@link #fp}, {@link #slots}) after every call it makes out
     * of the loop, so that none of its locals is live across a call (see {@code Interpreter.loop}).
     */
    InstanceContext ctx;
    long memBase;
    /** The depth of the running invocation's bottom frame ({@link Interpreter#invoke}). */
    int base;
    /** True when the running invocation's caller takes a tail call of its bottom frame instead of having it made ({@link #pendingTail}). */
    boolean baseMayTail;
    /** The tail call the bottom frame of the invocation that just ended left to its caller, or null. */
    PendingTailCall pendingTail;
    /** The exception being delivered to a handler: set when unwinding finds one, read by its {@link Op#CATCH}. */
    ThrownException caught;
    /** Instruction counts, when {@link Interpreter#PROFILE} is on. */
    final OpProfile profile = Interpreter.PROFILE ? new OpProfile() : null;

    /** Slots of a callee's header, at the end of its caller's frame (see {@link #slots}). */
    static final int HEADER = 2;
    /** The header's second slot in a bottom frame: a return there ends the invocation. */
    static final long BOTTOM = -1;

    /**
     * The caller's {@link #bytes} and {@link #depth} in one {@code long}, saved at {@code fp - 2}
     * of its callee. Both fit in 31 bits: the frames of a thread share at most {@link #MAX_SLOTS}
     * slots, at least {@link #HEADER} per frame, and a frame counts as at most 31 bytes plus 8 per
     * slot ({@link #frameBytes}: the values it keeps over a call each take a slot).
     */
    static long saved(long bytes, int depth) {
        return bytes << 32 | depth;
    }

    /** A call's link: the caller's {@code pc} (its CALL's position) and frame pointer, saved at {@code fp - 1} of its callee. */
    static long link(int pc, int fp) {
        return (long) pc << 32 | fp;
    }

    /** The caller's pc saved in {@code link}. */
    static int linkPc(long link) {
        return (int) (link >>> 32);
    }

    /** The caller's frame pointer saved in {@code link}. */
    static int linkFp(long link) {
        return (int) link;
    }

    /** The running frame's function (null when no interpreter frame runs on this thread). */
    CompiledFunction fn() {
        return frameFunction[depth];
    }

    /** Makes {@code f} the running frame's function. */
    void running(CompiledFunction f) {
        frameFunction[depth] = f;
    }

    /** What a frame of a function that keeps {@code liveAcrossCall} values over a call counts as (16-byte aligned). */
    static int frameBytes(int liveAcrossCall) {
        long b = FRAME_BYTES + 8L * liveAcrossCall;
        return (int) Math.min(Integer.MAX_VALUE - 15, (b + 15) & ~15L);
    }

    /**
     * Counts a frame of {@code fn} against the budget and makes room for frames up to {@link #depth}
     * {@code + 1} and slots up to {@code slotsTop}; traps with call stack exhausted, reported in the function that
     * could not be entered (as native code does), when over the budget.
     */
    void push(CompiledFunction fn, int slotsTop) {
        long b = bytes + fn.stackBytes;
        if (b > capBytes || slotsTop > MAX_SLOTS) {
            TrapException t = new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
            t.addFrame(new WasmFrame(fn.funcIndex, fn.name, fn.codeStart));
            throw t;
        }
        bytes = b;
        if (slotsTop > highWater) highWater = slotsTop;
        if (slotsTop > slots.length) slots = Arrays.copyOf(slots, Math.min(MAX_SLOTS, Math.max(slotsTop, slots.length * 2)));
        if (depth + 1 >= frameFunction.length) {
            int n = Math.max(depth + 2, frameFunction.length * 2);
            frameFunction = Arrays.copyOf(frameFunction, n);
        }
    }
}
