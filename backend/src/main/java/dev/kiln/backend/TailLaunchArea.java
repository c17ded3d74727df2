package dev.kiln.backend;

import dev.kiln.frontend.FuncType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.regalloc.ArgumentPlaces;

/**
 * The launch area of a tail call out of the interpreter into native code (docs/design-changes.md,
 * "Tail calls across tiers"): when an interpreted function that native code called through the
 * adapter ends in a tail call, the runtime writes the call here, in the execution state's return
 * area, and the adapter jumps to the tail-call launcher, which replaces the adapter's frame with the
 * callee's and jumps to it. Byte offsets from the execution state:
 * <pre>
 *   LAUNCHER     the launcher's address (the adapter jumps through it)
 *   DESCRIPTOR   the callee's funcref descriptor
 *   STACK_BYTES  the callee's stack-argument bytes N
 *   INT_ARGS     one 8-byte word per integer argument register, in the convention's order
 *   vectorArgs() one 16-byte slot per vector argument register
 *   stackImage() the N bytes of the callee's stack-argument area, as they must lie on the stack
 * </pre>
 */
public record TailLaunchArea(CallingConvention convention) {
    public static final int LAUNCHER = ExecutionStateLayout.RETURN_AREA;
    public static final int DESCRIPTOR = LAUNCHER + 8;
    public static final int STACK_BYTES = LAUNCHER + 16;
    public static final int INT_ARGS = LAUNCHER + 24;
    private static final int END = ExecutionStateLayout.FRAMES;

    public int vectorArgs() {
        return ArgumentPlaces.align16(INT_ARGS + 8 * convention.integerArguments().length);
    }

    public int stackImage() {
        return vectorArgs() + 16 * convention.vectorArguments().length;
    }

    /**
     * Where each parameter of a callee of type {@code t} goes, then (last) its stack-argument bytes;
     * null when they do not fit the area (the runtime then calls the callee without replacing a frame).
     */
    public int[] offsets(FuncType t) {
        ArgumentPlaces.Parameters places = convention.parameters(t);
        if (stackImage() + places.stackBytes() > END) return null;
        int[] out = new int[t.paramCount() + 1];
        for (int i = 0; i < t.paramCount(); i++) {
            ArgumentPlaces.Place p = places.place(i);
            if (p.onStack()) {
                out[i] = stackImage() + p.stackOffset();
            } else {
                int k = indexOf(convention.integerArguments(), p.register());
                out[i] = k >= 0 ? INT_ARGS + 8 * k : vectorArgs() + 16 * indexOf(convention.vectorArguments(), p.register());
            }
        }
        out[t.paramCount()] = places.stackBytes();
        return out;
    }

    private static int indexOf(int[] registers, int register) {
        for (int k = 0; k < registers.length; k++) if (registers[k] == register) return k;
        return -1;
    }
}
