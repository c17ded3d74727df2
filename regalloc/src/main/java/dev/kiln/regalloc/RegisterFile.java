package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;

/**
 * What the allocator may use: for each register class, the allocatable registers in order of
 * preference, which of them a call clobbers, and how many 8-byte stack slots a value of each type
 * occupies. A target's physical registers are one register file; the interpreter's frame, with
 * no registers at all, is another ({@link FrameSlotsOnly}). Register numbers are the target's own.
 */
public interface RegisterFile {
    /** Register class of values of this type (e.g. integer or floating point). */
    int classOf(ValType type);

    /** Allocatable registers of a class, most preferred first; empty means "stack slots only". */
    int[] allocatable(int registerClass);

    /** True when a call may overwrite the register (it is caller-saved). */
    boolean isClobberedByCalls(int register);

    /** Stack slots (8 bytes each) a spilled value of this type needs. */
    default int slotsFor(ValType type) {
        return type == ValType.V128 ? 2 : 1;
    }
}
