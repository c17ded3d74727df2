package dev.kiln.interpreter;

import dev.kiln.ir.TrapKind;

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
    /**
     * Bytes of guest stack a frame of this function counts as: about what its native frame takes
     * (return address and frame pointer, plus a word for each value that must survive a call),
     * so that the interpreter and native code run out of stack at about the same depth.
     */
    public final int stackBytes;
    /** Sorted code positions of instructions that can trap, and their Wasm offsets. */
    private final int[] trapPcs;
    private final int[] trapOffsets;

    /** Calls into this function (weighted) plus loop back-edges taken (weighted). Racy by design. */
    public long hotness;
    /** Calls and loop back-edges counted while interpreted (for statistics). */
    public long calls;
    public long backEdges;
    /** Set once the runtime has been told the function is hot. */
    public boolean reportedHot;

    // ---- on-stack replacement at loop headers ----
    /** Code positions that backward branches target (loop headers), sorted, and their IR block ids. */
    public final int[] osrTargets;
    public final int[] osrBlocks;
    /** For each target: the frame slots holding the OSR entry values (see OsrTransform.entryValues). */
    final int[][] osrSlots;
    /**
     * Exception handlers: the pcs where an exception can arise in this frame (a throw, or a call
     * inside a try region), ascending, and for each the clauses that apply there, innermost first,
     * as pairs (tag index or -1 for any, landing pc). Empty when the function catches nothing.
     */
    int[] throwSites = new int[0];
    int[][] handlers = new int[0][];

    /** The landing pc of the first clause at {@code pc} that catches an exception with tag {@code tag}, or -1. */
    int handler(int pc, Object tag, InstanceContext ctx) {
        int i = Arrays.binarySearch(throwSites, pc);
        if (i < 0) return -1;
        int[] h = handlers[i];
        for (int k = 0; k < h.length; k += 2) {
            if (h[k] < 0 || ctx.tag(h[k]) == tag) return h[k + 1];
        }
        return -1;
    }

    /**
     * The runtime declined the continuation asked for at target {@code osrIndex}: the next back-edge
     * there from an activation still running here asks again ({@link InstanceContext#onHotLoop}).
     */
    public void rearmOsr(int osrIndex) {
        osrRequested[osrIndex] = false;
    }

    /** Native code to continue at each target, set by the runtime once compiled (opaque to the interpreter). */
    public final Object[] osrEntries;
    final boolean[] osrRequested;
    /** A RETURN of the results an OSR continuation leaves in slots {@code osrResultSlot..}. */
    final int osrReturnPc;
    final int osrResultSlot;

    CompiledFunction(int funcIndex, String name, int[] code, long[] constants, int paramCount, int resultCount,
                     int frameSize, int[] trapPcs, int[] trapOffsets, int[] osrTargets, int[] osrBlocks, int[][] osrSlots,
                     int osrReturnPc, int osrResultSlot, int codeStart, int stackBytes) {
        this.codeStart = codeStart;
        this.stackBytes = stackBytes;
        this.osrTargets = osrTargets;
        this.osrBlocks = osrBlocks;
        this.osrSlots = osrSlots;
        this.osrEntries = new Object[osrTargets.length];
        this.osrRequested = new boolean[osrTargets.length];
        this.osrReturnPc = osrReturnPc;
        this.osrResultSlot = osrResultSlot;
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

    /** Index of the OSR target at code position {@code pc}, or -1. */
    public int osrIndex(int pc) {
        int i = Arrays.binarySearch(osrTargets, pc);
        return i >= 0 ? i : -1;
    }

    /** Wasm byte offset of the function body's code (where resource-limit traps are reported). */
    final int codeStart;

    /** Where a trap of {@code kind} raised at code position {@code pc} is reported in the Wasm module. */
    public int wasmOffsetOf(TrapKind kind, int pc) {
        return kind.atFunctionStart() ? codeStart : wasmOffsetAt(pc);
    }

    /** The Wasm byte offset of the instruction at (or last before) code position {@code pc}, or -1. */
    public int wasmOffsetAt(int pc) {
        int i = Arrays.binarySearch(trapPcs, pc);
        if (i < 0) i = -i - 2;
        return i >= 0 ? trapOffsets[i] : -1;
    }
}
