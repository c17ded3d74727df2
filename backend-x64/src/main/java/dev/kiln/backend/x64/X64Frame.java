package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * A compiled function's stack frame, from high to low addresses:
 * <pre>
 *   [rbp+16 ...]   incoming stack arguments ({@link #incomingBytes}; the function pops them: ret n)
 *   [rbp+8]        return address
 *   [rbp]          caller's rbp                        (the chain the trap routine walks)
 *   [rbp-8 ...]    saved registers: r15 (the function's own VMContext) first when it makes calls
 *                  that may switch instance, then rbx/r12/r13 when used
 *   [...]          spill slots, 8 bytes each, from a 16-byte aligned base (a v128 takes an even
 *                  pair of slots, so it is 16-byte aligned)
 *   [rsp ...]      outgoing stack arguments of calls (the largest area of any call)
 * </pre>
 * rbp and rsp are 16-byte aligned; a call's callee pops its outgoing area, so the caller
 * subtracts it again after the call.
 */
final class X64Frame {
    final List<Gpr> saved = new ArrayList<>();
    final boolean savesVmContext;
    final int spillSlots;
    final int outgoingBytes;
    final int incomingBytes;
    /** Bytes from rbp down to the first spill slot (the saved registers, padded to 16). */
    private final int spillBase;
    /** Bytes subtracted from rsp after the pushes. */
    final int allocated;

    X64Frame(boolean savesVmContext, List<Gpr> calleeSavedUsed, int spillSlots, int outgoingBytes, int incomingBytes) {
        this.savesVmContext = savesVmContext;
        if (savesVmContext) saved.add(X64Function.VMCTX);
        saved.addAll(calleeSavedUsed);
        this.spillSlots = spillSlots;
        this.outgoingBytes = outgoingBytes;
        this.incomingBytes = incomingBytes;
        int pushed = 8 * saved.size();
        this.spillBase = ArgumentPlaces.align16(pushed);
        this.allocated = spillBase - pushed + ArgumentPlaces.align16(8 * spillSlots) + outgoingBytes;
    }

    /** The spill slot {@code slot} of a value that takes {@code width} slots (its lowest address). */
    MemoryOperand spill(int slot, int width) {
        return mem(Gpr.RBP, -(spillBase + 8 * (slot + width)));
    }

    MemoryOperand spill(int slot) {
        return spill(slot, 1);
    }

    /** Where the function keeps its own VMContext (when it {@link #savesVmContext}). */
    MemoryOperand vmContextSlot() {
        if (!savesVmContext) throw new IllegalStateException("the frame does not keep the VMContext");
        return mem(Gpr.RBP, -8);
    }

    MemoryOperand incoming(int stackOffset) {
        return mem(Gpr.RBP, 16 + stackOffset);
    }

    MemoryOperand outgoing(int stackOffset) {
        return mem(Gpr.RSP, stackOffset);
    }

    /** Bytes from rbp down to rsp in the function's body (saved registers, spill slots, outgoing area). */
    int bytesBelowFramePointer() {
        return 8 * saved.size() + allocated;
    }

    /** Bytes of frame kiln reports for the function (pushes and allocation). */
    int size() {
        return 8 * (1 + saved.size()) + allocated;
    }
}
