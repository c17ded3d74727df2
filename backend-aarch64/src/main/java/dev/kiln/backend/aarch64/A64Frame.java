package dev.kiln.backend.aarch64;

import dev.kiln.regalloc.ArgumentPlaces;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled function's stack frame, from high to low addresses:
 * <pre>
 *   [x29+16 ...]   incoming stack arguments ({@link #incomingBytes}; the function pops them)
 *   [x29+8]        return address (x30)
 *   [x29]          caller's x29                       (the frame record the trap routine walks)
 *   [x29-8 ...]    saved registers, 8 bytes each: x19 (the function's own VMContext) first when it
 *                  makes calls that may switch instance, then x21-x28 and d8-d15 when used
 *   [...]          spill slots, 8 bytes each (a v128 takes an even pair: 16-byte aligned)
 *   [sp ...]       outgoing stack arguments of calls (the largest area of any call)
 * </pre>
 * SP stays 16-byte aligned. Saved registers are addressed from x29, spill slots and outgoing
 * arguments from SP (scaled 12-bit offsets reach 32 KiB; farther slots go through X14). A call's
 * callee pops its outgoing area, so the caller subtracts it again after the call.
 */
final class A64Frame {
    /** Registers the prologue saves, in save order. */
    final List<A64Register> saved;
    final boolean savesVmContext;
    final int spillSlots;
    final int outgoingBytes;
    final int incomingBytes;
    /** Bytes from SP up to x29 (everything below the frame record), a multiple of 16. */
    final int below;
    /** Bytes of saved registers below the frame record, a multiple of 16. */
    final int savedBytes;

    A64Frame(boolean savesVmContext, List<A64Register> calleeSavedUsed, int spillSlots, int outgoingBytes, int incomingBytes) {
        this.savesVmContext = savesVmContext;
        this.saved = new ArrayList<>();
        if (savesVmContext) saved.add(A64Function.VMCTX);
        saved.addAll(calleeSavedUsed);
        this.spillSlots = spillSlots;
        this.outgoingBytes = outgoingBytes;
        this.incomingBytes = incomingBytes;
        this.savedBytes = ArgumentPlaces.align16(8 * saved.size());
        this.below = savedBytes + ArgumentPlaces.align16(8 * spillSlots) + outgoingBytes;
    }

    /** The x29-relative offset (negative) of the {@code k}-th register of {@link #saved}. */
    int savedOffset(int k) {
        return -8 * (k + 1);
    }

    /** The x29-relative offset of the function's own VMContext (when it {@link #savesVmContext}). */
    int vmContextOffset() {
        if (!savesVmContext) throw new IllegalStateException("the frame does not keep the VMContext");
        return savedOffset(0);
    }

    /** SP-relative byte offset of a spill slot. */
    long spillOffset(int slot) {
        return outgoingBytes + 8L * slot;
    }

    /** x29-relative offset of an incoming stack argument. */
    static int incomingOffset(int stackOffset) {
        return 16 + stackOffset;
    }

    /** Bytes of frame kiln reports for the function (frame record included). */
    int size() {
        return 16 + below;
    }
}
