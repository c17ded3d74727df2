package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * A compiled function's stack frame, from high to low addresses:
 * <pre>
 *   [rbp+16 ...]   incoming stack arguments
 *   [rbp+8]        return address
 *   [rbp]          caller's rbp
 *   [rbp-8 ...]    callee-saved registers: r15 (VMContext), r14 (memory base, when the function
 *                  loads or stores memory), then rbx/r12/r13 when used
 *   [...]          spill slots, 8 bytes each
 *   [rsp ...]      outgoing stack arguments of calls
 * </pre>
 * The size below the saved registers keeps rsp 16-byte aligned at every call.
 */
final class X64Frame {
    final List<Gpr> saved = new ArrayList<>();
    final int spillSlots;
    final int outgoingSlots;
    /** Bytes subtracted from rsp after the pushes. */
    final int allocated;

    X64Frame(boolean usesMemoryBase, List<Gpr> calleeSavedUsed, int spillSlots, int outgoingSlots) {
        saved.add(Gpr.R15);
        if (usesMemoryBase) saved.add(Gpr.R14);
        saved.addAll(calleeSavedUsed);
        this.spillSlots = spillSlots;
        this.outgoingSlots = outgoingSlots;
        int bytes = 8 * (spillSlots + outgoingSlots);
        // entry: rsp = 8 mod 16; push rbp -> 0; pushes of saved; then bytes; want 0 mod 16
        int pushed = 8 * saved.size();
        while ((pushed + bytes) % 16 != 0) bytes += 8;
        this.allocated = bytes;
    }

    MemoryOperand spill(int slot) {
        return mem(Gpr.RBP, -(8 * saved.size() + 8 * (slot + 1)));
    }

    MemoryOperand incoming(int stackIndex) {
        return mem(Gpr.RBP, 16 + 8 * stackIndex);
    }

    MemoryOperand outgoing(int stackIndex) {
        return mem(Gpr.RSP, 8 * stackIndex);
    }

    /** Bytes of frame kiln reports for the function (pushes and allocation). */
    int size() {
        return 8 * (1 + saved.size()) + allocated;
    }
}
