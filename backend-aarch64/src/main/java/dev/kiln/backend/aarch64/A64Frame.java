package dev.kiln.backend.aarch64;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled function's stack frame, from high to low addresses:
 * <pre>
 *   [x29+16 ...]   incoming stack arguments
 *   [x29+8]        return address (x30)
 *   [x29]          caller's x29                       (the frame record the trap routine walks)
 *   [x29-16]       x19 (VMContext), x20 (memory base)
 *   [...]          x21-x28 and d8-d15 when the function uses them, 8 bytes each
 *   [...]          spill slots, 8 bytes each
 *   [sp ...]       outgoing stack arguments of calls
 * </pre>
 * SP stays 16-byte aligned. Saved registers are addressed from x29, spill slots and outgoing
 * arguments from SP (scaled 12-bit offsets reach 32 KiB; farther slots go through X14).
 */
final class A64Frame {
    /** Callee-saved registers the function uses besides x19/x20, in save order. */
    final List<A64Register> saved;
    final int spillSlots;
    final int outgoingSlots;
    /** Bytes from SP up to x29 (everything below the frame record), a multiple of 16. */
    final int below;
    /** Bytes of saved registers below the frame record (x19/x20 included), a multiple of 16. */
    final int savedBytes;

    A64Frame(List<A64Register> calleeSavedUsed, int spillSlots, int outgoingSlots) {
        this.saved = new ArrayList<>(calleeSavedUsed);
        this.spillSlots = spillSlots;
        this.outgoingSlots = outgoingSlots;
        this.savedBytes = align16(16 + 8 * saved.size());
        this.below = align16(savedBytes + 8 * spillSlots + 8 * outgoingSlots);
    }

    private static int align16(int n) {
        return (n + 15) & ~15;
    }

    /** The x29-relative offset (negative) of the {@code k}-th register of {@link #saved}. */
    int savedOffset(int k) {
        return -16 - 8 * (k + 1);
    }

    /** SP-relative byte offset of a spill slot. */
    long spillOffset(int slot) {
        return 8L * outgoingSlots + 8L * slot;
    }

    /** x29-relative offset of an incoming stack argument. */
    static int incomingOffset(int stackIndex) {
        return 16 + 8 * stackIndex;
    }

    /** SP-relative offset of an outgoing stack argument. */
    static long outgoingOffset(int stackIndex) {
        return 8L * stackIndex;
    }

    /** Bytes of frame kiln reports for the function (frame record included). */
    int size() {
        return 16 + below;
    }
}
