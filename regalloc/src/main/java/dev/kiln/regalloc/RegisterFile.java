package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;

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

    /**
     * The allocatable registers the lowering of {@code i} may overwrite as scratch, one bit per
     * register number (so register numbers stay below 64): none of the instruction's operands or
     * results, and no value live across it, is given one of them. A call's clobbers
     * ({@link #isClobberedByCalls}) apply besides. Default: none (the target's scratch registers are
     * not allocatable).
     */
    default long scratchClobbers(Instruction i) {
        return 0;
    }

    /**
     * True when the lowering of {@code i} writes its results after its last use of the scratch
     * registers, so its results (not its operands) may live in them, e.g. a call's result in the
     * result register.
     */
    default boolean resultsFollowScratch(Instruction i) {
        return false;
    }

    /** As {@link #scratchClobbers(Instruction)}, for a block's terminator (its edge moves included). */
    default long scratchClobbers(Terminator t) {
        return 0;
    }

    /** Stack slots (8 bytes each) a spilled value of this type needs; a value of 2 slots is 16-byte aligned. */
    default int slotsFor(ValType type) {
        return type == ValType.V128 ? 2 : 1;
    }
}
