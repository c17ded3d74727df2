package dev.kiln.interpreter;

import dev.kiln.interpreter.gc.GcHeap;
import dev.kiln.interpreter.gc.GcType;
import dev.kiln.ir.ThrownException;

import java.lang.foreign.MemorySegment;

/**
 * What the interpreter needs from the instance it runs in. The runtime implements it; the
 * interpreter knows nothing of instances, native code or host functions beyond this. Memory and
 * globals are read directly (the segment and the global cell addresses); everything rarer goes
 * through these calls, which trap by throwing {@link dev.kiln.ir.TrapException}.
 */
public interface InstanceContext {
    /** The functions of this instance that run in the interpreter, by function index (null: not interpreted). */
    CompiledFunction[] interpretedFunctions();

    /**
     * The interpreter's code for function {@code funcIndex} when it runs in the interpreter, made
     * now if this is its first call (lazy preparation); null when it runs elsewhere (an import,
     * native code).
     */
    default CompiledFunction prepare(int funcIndex) {
        return interpretedFunctions()[funcIndex];
    }

    /** A segment spanning linear memory 0's whole reservation (its base never moves), or null. */
    MemorySegment memory();

    /** Current size of memory 0 in bytes (re-read after calls and memory.grow). */
    long memorySize();

    /** Addresses of the native cells holding each global's value, by global index. */
    long[] globalCells();

    /** Calls a function of this instance that the interpreter does not run (an import, or native code). */
    long[] callFunction(int funcIndex, long[] args);

    /**
     * Resolves {@code call_indirect}: checks the table element and its type, trapping as the spec
     * says. Returns the function index when the target is a function of this instance, else
     * {@code -1 - handle} for {@link #callHandle}.
     */
    int resolveIndirect(int tableIndex, long elementIndex, int typeIndex);

    /**
     * Resolves a function reference for {@code call_ref}: traps on null, returns the function index
     * when the target is a function of this instance, else {@code -1 - handle} for {@link #callHandle}.
     */
    int resolveRef(long ref);

    /** Calls a function of another instance or the host, named by a handle from {@link #resolveIndirect}. */
    long[] callHandle(int handle, long[] args);

    /**
     * As {@link #callFunction}, from a tail call: when the callee runs in the interpreter it may end
     * with a tail call of its own out of the interpreter, which it then leaves to the caller (returns
     * null; {@link Interpreter#callInTail} makes it).
     */
    default long[] tailCallFunction(int funcIndex, long[] args) {
        return callFunction(funcIndex, args);
    }

    /** As {@link #callHandle}, from a tail call, in the manner of {@link #tailCallFunction}. */
    default long[] tailCallHandle(int handle, long[] args) {
        return callHandle(handle, args);
    }

    /** The funcref value (descriptor address) of a function of this instance. */
    long refFunc(int funcIndex);

    long memoryGrow(long deltaPages);

    void memoryFill(long dst, int value, long n);

    void memoryCopy(long dst, long src, long n);

    void memoryInit(int segment, long dst, long src, long n);

    void dataDrop(int segment);

    long tableGet(int table, long index);

    void tableSet(int table, long index, long value);

    long tableSize(int table);

    long tableGrow(int table, long init, long delta);

    void tableFill(int table, long index, long value, long n);

    void tableCopy(int dstTable, int srcTable, long dst, long src, long n);

    void tableInit(int segment, int table, long dst, long src, long n);

    void elemDrop(int segment);

    /** The address of byte 0 of memory {@code memory} (its base never moves). */
    default long memoryAddress(int memory) {
        if (memory == 0) return memory().address();
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** The current size of memory {@code memory} in bytes. */
    default long memorySize(int memory) {
        if (memory == 0) return memorySize();
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** memory.grow of memory {@code memory}: the old size in pages, or -1. */
    default long memoryGrow(int memory, long deltaPages) {
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** memory.fill of memory {@code memory} (operands already in its address type's range). */
    default void memoryFill(int memory, long dst, int value, long n) {
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** memory.copy from {@code srcMemory} to {@code dstMemory}. */
    default void memoryCopy(int dstMemory, int srcMemory, long dst, long src, long n) {
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** memory.init of data segment {@code segment} into memory {@code memory}. */
    default void memoryInit(int segment, int memory, long dst, long src, long n) {
        throw new UnsupportedOperationException("this instance has one memory");
    }

    /** Whether table {@code table} is a 64-bit table (table64: i64 indices). */
    default boolean tableIs64(int table) {
        return false;
    }

    /** The tag instance of tag {@code tagIndex} (its identity decides which catch clauses match). */
    default Object tag(int tagIndex) {
        throw new UnsupportedOperationException("this instance has no tags");
    }

    /** The {@code exnref} value naming exception {@code e} (the same value each time for the same exception). */
    default long exnRef(ThrownException e) {
        throw new UnsupportedOperationException("this instance has no exception references");
    }

    /** The exception an {@code exnref} value names ({@code ref} is not 0). */
    default ThrownException exception(long ref) {
        throw new UnsupportedOperationException("this instance has no exception references");
    }

    /**
     * Resource limits: called at a function entry or loop back-edge once the interpreter's
     * countdown of such events runs out (function entries and back-edges are counted down
     * separately, each from what the poll that last reset it returned). Throws a trap to stop
     * (interrupted, out of fuel); returns how many further events of the kind may pass before the
     * next call (0: poll at every one, as fuel metering needs).
     */
    default int poll() {
        return Integer.MAX_VALUE;
    }

    /**
     * Hotness a call adds to the called function's counter ({@link #hotThreshold}); with
     * {@link #loopWeight}, calls and loop back-edges count towards the same threshold.
     */
    default int callWeight() {
        return 1;
    }

    /** Hotness a loop back-edge adds to its function's counter. */
    default int loopWeight() {
        return 1;
    }

    /** The counter value at which a function is reported hot ({@link #onHot}); Long.MAX_VALUE: never. */
    default long hotThreshold() {
        return Long.MAX_VALUE;
    }

    /**
     * Bytes of guest stack the invocation starting now may use for its frames, on top of
     * {@link Interpreter#stackBytesInUse()}; a call that would need more traps with call stack
     * exhausted. The runtime derives it from the store's stack budget, so interpreter frames and
     * native frames share one budget.
     */
    default long stackBytesAvailable() {
        return Long.MAX_VALUE;
    }

    /** Called once when a function's hotness counter first crosses the tier-up threshold. */
    default void onHot(CompiledFunction f) {
    }

    /**
     * Called once per loop header of a hot function that is still running here: the runtime may
     * compile native code to continue there and publish it in {@code f.osrEntries[osrIndex]}, or
     * decline and {@link CompiledFunction#rearmOsr re-arm} the header to be asked again.
     */
    default void onHotLoop(CompiledFunction f, int osrIndex) {
    }

    /** Runs the published OSR continuation with the loop's entry values; returns the function's results. */
    default long[] enterOsr(CompiledFunction f, int osrIndex, long[] values) {
        throw new IllegalStateException("no on-stack replacement in this context");
    }

    /** The store's GC heap (made when the first module with GC types is instantiated). */
    default GcHeap gcHeap() {
        throw new UnsupportedOperationException("this instance has no GC heap");
    }

    /** The run-time type of type index {@code typeIndex} of this instance's module. */
    default GcType gcType(int typeIndex) {
        throw new UnsupportedOperationException("this instance has no GC types");
    }

    /** The run-time type of the function a (non-null) function reference names. */
    default GcType functionGcType(long funcref) {
        throw new UnsupportedOperationException("this instance has no GC types");
    }

    /** Data segment {@code segment}'s bytes (empty once dropped). */
    default MemorySegment dataSegment(int segment) {
        throw new UnsupportedOperationException("this instance has no data segments");
    }

    /** Element segment {@code segment}'s reference values (empty once dropped). */
    default long[] elemSegment(int segment) {
        throw new UnsupportedOperationException("this instance has no element segments");
    }
}
