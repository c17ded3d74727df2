package dev.kiln.interpreter;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.util.Arrays;

/**
 * One thread's interpreter state: the value stack that holds every frame's slots, and the frame
 * stack of suspended callers. Wasm calls push frames here instead of recursing in Java, so call
 * depth is bounded by {@link #MAX_FRAMES} and {@link #MAX_SLOTS}, and exhaustion is a clean trap.
 * Re-entry (a host function calling back into Wasm) continues above the current top.
 */
final class InterpreterStack {
    static final int MAX_FRAMES = 100_000;
    static final int MAX_SLOTS = 16 << 20;

    long[] slots = new long[1 << 14];
    CompiledFunction[] frameFunction = new CompiledFunction[256];
    int[] framePc = new int[256];
    int[] frameFp = new int[256];
    int depth;
    /** First free slot above the frames of suspended invocations (for re-entry). */
    int top;
    /** Function entries and back-edges left before {@link InstanceContext#poll} is due. */
    int pollCountdown;
    /** Hotness weights and threshold, copied from {@link Interpreter}'s settings at each invocation. */
    int callWeight;
    int loopWeight;
    long hotThreshold;
    /**
     * The running frame, saved here while an effectful family method runs (see {@link Families}):
     * such a method may switch frames by changing these and {@link #depth}.
     */
    CompiledFunction fn;
    int pc;
    int fp;
    /** Instruction counts, when {@link Interpreter#PROFILE} is on. */
    final OpProfile profile = Interpreter.PROFILE ? new OpProfile() : null;

    void ensureSlots(int needed) {
        if (needed <= slots.length) return;
        if (needed > MAX_SLOTS) throw new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
        slots = Arrays.copyOf(slots, Math.min(MAX_SLOTS, Math.max(needed, slots.length * 2)));
    }

    void ensureFrames() {
        if (depth < frameFunction.length) return;
        if (depth >= MAX_FRAMES) throw new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
        int n = Math.min(MAX_FRAMES, frameFunction.length * 2);
        frameFunction = Arrays.copyOf(frameFunction, n);
        framePc = Arrays.copyOf(framePc, n);
        frameFp = Arrays.copyOf(frameFp, n);
    }
}
