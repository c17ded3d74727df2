package dev.kiln.ir.abi;

/**
 * The VMContext: one block of native memory per instance that compiled code and the interpreter
 * read instance state from, at these fixed byte offsets (all fields 8 bytes, little-endian). The
 * runtime allocates and fills it; both backends address it through these constants only.
 *
 * <pre>
 *   MEMORY_BASE   address of linear memory 0 (its reservation never moves)
 *   MEMORY_SIZE   current size of memory 0 in bytes (updated on every grow, in every importer)
 *   GLOBALS       address of a u64 array: the address of each global's 16-byte value cell
 *   TABLES        address of a u64 array: the address of each table's record {base u64, size u64}
 *   FUNCTIONS     address of a u64 array: each function's funcref descriptor address (imports
 *                 included; an imported host function's descriptor carries this instance's VMContext)
 *   TYPE_IDS      address of a u32 array: the store-wide canonical id of each module type (the
 *                 id function references carry), then, at {@link #gcTypeId}, the run-time GC type
 *                 id of each module type (what object headers and display records hold)
 *   STATE         address of the store's {@link ExecutionStateLayout execution state}
 *   INTERRUPT     u32: nonzero when the store was asked to stop; code checks it at the entries of
 *                 functions that call and at loop headers (backend InterruptChecks) and traps (interrupted)
 *   STACK_LIMIT   lowest stack address kiln code may use on the thread now running this instance:
 *                 every prologue compares its stack pointer with it (one load, one compare). The
 *                 entry trampoline sets it (and restores the old value on the way out); a call that
 *                 may enter another instance copies the caller's value into the callee's VMContext.
 *   TRAP_ROUTINE  address of the process's trap routine: compiled code calls it through this word
 *                 ({@code call [r15+TRAP_ROUTINE]}), so the code has no absolute address in it and
 *                 can run from a cached object mapped anywhere
 *   INSTANCE_RETURN address of the instance-return stub (tail calls into another instance)
 *   SLOTS         address of the module's slot array (u64 per function: where a call to it goes);
 *                 the stubs a cached object carries for functions it has no code for jump through it
 *   HELPERS       {@link RuntimeHelper#COUNT} code addresses of the runtime helpers, in enum order
 *   then, for each memory i &gt;= 1 of the module, its record {base u64, size u64} at
 *                 {@link #memoryBase}(i) / {@link #memorySize}(i) (memory 0's are MEMORY_BASE and
 *                 MEMORY_SIZE): one load from the VMContext reaches any memory's base or size
 * </pre>
 */
public final class VmContextLayout {
    public static final int MEMORY_BASE = 0;
    public static final int MEMORY_SIZE = 8;
    public static final int GLOBALS = 16;
    public static final int TABLES = 24;
    public static final int FUNCTIONS = 32;
    public static final int TYPE_IDS = 40;
    public static final int STATE = 48;
    public static final int INTERRUPT = 56;
    public static final int STACK_LIMIT = 64;
    public static final int TRAP_ROUTINE = 72;
    public static final int INSTANCE_RETURN = 80;
    public static final int SLOTS = 88;
    public static final int HELPERS = 96;
    /** Size of the fixed part of the VMContext (a module's memories after the first follow it: {@link #size}). */
    public static final int SIZE = HELPERS + 8 * RuntimeHelper.COUNT;
    /** Bytes per memory record {base, size} after the fixed part. */
    public static final int MEMORY_RECORD_SIZE = 16;

    /** Size of the VMContext of an instance with {@code memoryCount} memories. */
    public static long size(int memoryCount) {
        return SIZE + (long) MEMORY_RECORD_SIZE * Math.max(0, memoryCount - 1);
    }

    /** Offset of memory {@code memory}'s base address in the VMContext. */
    public static long memoryBase(int memory) {
        return memory == 0 ? MEMORY_BASE : SIZE + (long) MEMORY_RECORD_SIZE * (memory - 1);
    }

    /** Offset of memory {@code memory}'s current size in bytes in the VMContext (kept current on every grow). */
    public static long memorySize(int memory) {
        return memory == 0 ? MEMORY_SIZE : SIZE + (long) MEMORY_RECORD_SIZE * (memory - 1) + 8;
    }

    /** A table record: base address of the u64 element array, then the size in elements. */
    public static final int TABLE_BASE = 0;
    public static final int TABLE_SIZE = 8;
    public static final int TABLE_RECORD_SIZE = 16;

    /**
     * A funcref descriptor (a funcref value is its address; null is 0): the code address to call
     * with the native ABI, the VMContext to pass it, the callee's canonical type id, and the
     * store's handle for the function.
     */
    public static final int FUNC_CODE = 0;
    public static final int FUNC_VMCTX = 8;
    public static final int FUNC_TYPE_ID = 16;
    public static final int FUNC_HANDLE = 20;
    public static final int FUNC_DESCRIPTOR_SIZE = 24;

    /** Bytes per global cell (room for a v128). */
    public static final int GLOBAL_CELL_SIZE = 16;

    private VmContextLayout() {
    }

    /** Offset in the TYPE_IDS array of type {@code typeIndex}'s run-time GC type id, in a module of {@code typeCount} types. */
    public static long gcTypeId(int typeCount, int typeIndex) {
        return 4L * (typeCount + typeIndex);
    }

    public static int helper(RuntimeHelper h) {
        return HELPERS + 8 * h.ordinal();
    }
}
