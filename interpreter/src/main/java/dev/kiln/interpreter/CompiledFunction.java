package dev.kiln.interpreter;

import java.util.Arrays;

/**
 * A function compiled for the interpreter: the code array, the constants preloaded into the
 * frame at every call (slots {@code paramCount .. paramCount + constants.length - 1}), the frame
 * size, and a table from code positions to Wasm byte offsets for trap locations. Also carries
 * the hotness counters the tier-up reads.
 */
public final class CompiledFunction {
    public final int funcIndex;
    public final String name;
    public final int[] code;
    public final long[] constants;
    public final int paramCount;
    public final int resultCount;
    /** Slots the frame needs, parameters, constants and the move scratch slot included. */
    public final int frameSize;
    /** Sorted code positions of instructions that can trap, and their Wasm offsets. */
    private final int[] trapPcs;
    private final int[] trapOffsets;

    /** Calls into this function (weighted) plus loop back-edges taken (weighted). Racy by design. */
    public long hotness;
    /** Set once the runtime has been told the function is hot. */
    public boolean reportedHot;

    CompiledFunction(int funcIndex, String name, int[] code, long[] constants, int paramCount, int resultCount,
                     int frameSize, int[] trapPcs, int[] trapOffsets) {
        this.funcIndex = funcIndex;
        this.name = name;
        this.code = code;
        this.constants = constants;
        this.paramCount = paramCount;
        this.resultCount = resultCount;
        this.frameSize = frameSize;
        this.trapPcs = trapPcs;
        this.trapOffsets = trapOffsets;
    }

    /** The Wasm byte offset of the instruction at (or last before) code position {@code pc}, or -1. */
    public int wasmOffsetAt(int pc) {
        int i = Arrays.binarySearch(trapPcs, pc);
        if (i < 0) i = -i - 2;
        return i >= 0 ? trapOffsets[i] : -1;
    }
}
