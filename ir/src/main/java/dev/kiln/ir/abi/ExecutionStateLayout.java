package dev.kiln.ir.abi;

/**
 * The execution state of a store: native memory shared by all its instances (each VMContext
 * points to it), because one native call chain can cross instances. A store runs on one thread
 * at a time, as wasmtime's does.
 *
 * <pre>
 *   ENTRY_SP      stack pointer saved by the innermost entry trampoline; a trap restores it
 *   ENTRY_FP      frame pointer of that trampoline: where a trap's frame walk stops
 *   HANDLER_FP    the frame pointer of the frame whose exception dispatch the handler search found
 *                 (the stack limit lives in each VMContext: {@link VmContextLayout#STACK_LIMIT})
 *   TRAP_CODE     u32: nonzero once a trap happened ({@code TrapKind.code}, or {@link #EXIT} for proc_exit)
 *   FUEL          fuel left when metered (signed; each unit is a function entry or a loop
 *                 back-edge; code that finds none left traps with out of fuel)
 *   FRAME_COUNT   number of frames the trap routine walked; the return addresses of the first
 *                 MAX_FRAMES of them are recorded in FRAMES, the rest only counted
 *   GC_TYPES      address of the store's table of GC type display records, one u64 per run-time
 *                 type id ({@code dev.kiln.ir.GcLayout#DISPLAY_DEPTH}): inline casts read it
 *   GC_CURSOR     where native code bump-allocates its next GC object (the store's heap window,
 *                 {@code dev.kiln.interpreter.gc.GcHeap#window}); GC_LIMIT where that window ends:
 *                 an allocation that would pass it calls the GC helper (0 and 0: no window)
 *   RETURN_AREA   results of functions returning more than one value, in order, one 16-byte slot
 *                 each ({@link #returnSlot}): a v128 fills its slot, any other value the low 8 bytes
 *   FRAMES        return addresses of the native frames a trap unwound, innermost first
 * </pre>
 */
public final class ExecutionStateLayout {
    public static final int ENTRY_SP = 0;
    public static final int ENTRY_FP = 8;
    public static final int HANDLER_FP = 16;
    public static final int TRAP_CODE = 24;
    public static final int FUEL = 32;
    public static final int FRAME_COUNT = 48;
    public static final int GC_TYPES = 56;
    public static final int GC_CURSOR = 64;
    public static final int GC_LIMIT = 72;
    public static final int MAX_RESULTS = 1000;
    public static final int RETURN_AREA = 80;
    public static final int MAX_FRAMES = 1000;
    /** Bytes per return-area slot (room for a v128). */
    public static final int RETURN_SLOT_BYTES = 16;
    public static final int FRAMES = RETURN_AREA + RETURN_SLOT_BYTES * MAX_RESULTS;
    public static final int SIZE = FRAMES + 8 * MAX_FRAMES;

    /** TRAP_CODE value meaning "a host function ended the program" (not a trap). */
    public static final int EXIT = 100;
    /** TRAP_CODE of a Wasm exception raised in Java on behalf of native code (it unwinds native frames like a trap). */
    public static final int THROW = 101;
    /**
     * Trap code of a mapped cache object's text block that failed its digest when first used (the
     * guard-page handler checks it): the block was never made executable; the entry is damaged.
     */
    public static final int DAMAGED_CODE = 102;

    private ExecutionStateLayout() {
    }

    /** Offset of result {@code i}'s slot in the return area. */
    public static int returnSlot(int i) {
        return RETURN_AREA + RETURN_SLOT_BYTES * i;
    }
}
