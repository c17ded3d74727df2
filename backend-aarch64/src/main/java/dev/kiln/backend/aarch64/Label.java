package dev.kiln.backend.aarch64;

import java.util.ArrayList;
import java.util.List;

/**
 * A position in the code of one {@link A64Assembler}, created by {@link A64Assembler#newLabel()},
 * usable before it is bound (forward references are patched at {@link A64Assembler#bind}), bound
 * exactly once. After {@link A64Assembler#finish()} its offset is final; use it to record trap sites
 * and other positions.
 */
public final class Label {
    private final A64Assembler owner;
    private final int id;
    private int offset = -1;
    /** References waiting for the bind. */
    final List<LabelUse> pendingUses = new ArrayList<>(2);

    Label(A64Assembler owner, int id) {
        this.owner = owner;
        this.id = id;
    }

    A64Assembler owner() {
        return owner;
    }

    public boolean isBound() {
        return offset >= 0;
    }

    /** The bound code offset; throws when the label is not bound yet. */
    public int offset() {
        if (offset < 0) {
            throw new IllegalStateException(this + " is not bound");
        }
        return offset;
    }

    void bindAt(int at) {
        if (offset >= 0) {
            throw new IllegalStateException(this + " is already bound at 0x" + Integer.toHexString(offset));
        }
        offset = at;
    }

    @Override
    public String toString() {
        return "L" + id + (offset >= 0 ? "@0x" + Integer.toHexString(offset) : "");
    }
}
