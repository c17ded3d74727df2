package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;

/**
 * What the allocator may use: for each register class, the allocatable registers in order of
 * preference, which of them a call clobbers for a value of which type, and how many 8-byte stack
 * slots a value of each type occupies. A target's physical registers are one register file; the
 * interpreter's frame, with no registers at all, is another ({@link FrameSlotsOnly}). Register
 * numbers are the target's own.
 */
public interface RegisterFile {
    /** Register class of values of this type (e.g. integer or floating point). */
    int classOf(ValType type);

    /** Allocatable registers of a class, most preferred first; empty means "stack slots only". */
    int[] allocatable(int registerClass);

    /**
     * True when a call may overwrite the part of {@code register} a value of {@code type} uses (the
     * register, or that part of it, is caller-saved). On AArch64 a call preserves only the low 64
     * bits of v8-v15: an f64 there survives a call, a v128 does not.
     */
    boolean isClobberedByCalls(int register, ValType type);

    /** Stack slots (8 bytes each) a spilled value of this type needs; a value of 2 slots is 16-byte aligned. */
    default int slotsFor(ValType type) {
        return type == ValType.V128 ? 2 : 1;
    }
}
