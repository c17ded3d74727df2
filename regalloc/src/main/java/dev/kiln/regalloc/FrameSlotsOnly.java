package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;

/** The interpreter's register file: no registers, every value lives in a frame slot. */
public final class FrameSlotsOnly implements RegisterFile {
    public static final FrameSlotsOnly INSTANCE = new FrameSlotsOnly();
    private static final int[] NONE = new int[0];

    private FrameSlotsOnly() {
    }

    @Override
    public int classOf(ValType type) {
        return 0;
    }

    @Override
    public int[] allocatable(int registerClass) {
        return NONE;
    }

    @Override
    public boolean isClobberedByCalls(int register, ValType type) {
        return false;
    }
}
