package dev.kiln.runtime;

import dev.kiln.ir.abi.ExecutionStateLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The conservative scan of a store's native frames for GC roots (see {@code docs/design-changes.md},
 * "Native GC: roots in native frames"). Native code of a store runs in <em>segments</em> of the
 * owner's stack: each native entry's trampoline records its stack pointer in the execution state
 * ({@link ExecutionStateLayout#ENTRY_SP}); the kiln frames of that entry lie below it, down to the
 * upcall that left native code again. A nested entry (native code calling Java calling native
 * code) closes the enclosing segment at the stack pointer Java has then; a collection closes the
 * innermost one at its own stack pointer. Every 8-byte word of every segment is reported; the
 * heap keeps a word only if it is the start of a live object, and it never moves objects, so a
 * stale or random word can only keep garbage alive a little longer. Values kiln code keeps in
 * callee-saved registers across the upcall are in the segment too (the upcall stub saves them on
 * the stack), and caller-saved ones are never live across a call.
 *
 * <p>Used only by the owner's thread (a store runs on one thread at a time).
 */
final class NativeStackRoots {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Closed segments: {@code [low, high)} pairs, outermost first. */
    private long[] segments = new long[16];
    /** Native entries running (each one opens a segment). */
    private int depth;

    /**
     * A native entry starts now, on the owner's stack: the enclosing entry's segment (if any) ends
     * here, at {@code stackPointer} (of the Java code about to enter).
     */
    void entering(ExecutionState state, long stackPointer) {
        if (depth > 0) {
            int k = 2 * (depth - 1);
            if (k + 2 > segments.length) segments = Arrays.copyOf(segments, segments.length * 2);
            segments[k] = stackPointer;
            segments[k + 1] = entrySp(state);
        }
        depth++;
    }

    /** The innermost native entry returned (or trapped). */
    void left() {
        depth--;
    }

    /** Whether native frames of the store are on the stack. */
    boolean active() {
        return depth > 0;
    }

    /**
     * Reports every word of every native segment; the innermost one ends at {@code stackPointer}
     * (the collecting Java code's).
     */
    void report(ExecutionState state, long stackPointer, LongConsumer root) {
        if (depth == 0) return;
        for (int k = 0; k < depth - 1; k++) scan(segments[2 * k], segments[2 * k + 1], root);
        scan(stackPointer, entrySp(state), root);
    }

    private static long entrySp(ExecutionState state) {
        return state.segment.get(ValueLayout.JAVA_LONG, ExecutionStateLayout.ENTRY_SP);
    }

    private static void scan(long low, long high, LongConsumer root) {
        for (long a = (low + 7) & ~7L; a < high; a += 8) {
            long w = NATIVE.get(ValueLayout.JAVA_LONG, a);
            if (w != 0) root.accept(w);
        }
    }
}
