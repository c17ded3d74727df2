package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.List;

/**
 * A position in the code of one {@link X64Assembler}, created by {@link X64Assembler#newLabel()} and
 * fixed by {@link X64Assembler#bind(Label)} (or, for constant-pool and jump-table labels, by
 * {@link X64Assembler#finish()}). Jumps, calls and RIP-relative operands may refer to a label before it
 * is bound; the assembler patches those references when it is.
 */
public final class Label {
    final X64Assembler owner;
    /** True for constant-pool and jump-table labels, which only {@link X64Assembler#finish()} binds. */
    final boolean pooled;
    private final String name;
    private int offset = -1;
    /** References waiting for this label to be bound. */
    final List<Fixup> pending = new ArrayList<>();

    Label(X64Assembler owner, String name, boolean pooled) {
        this.owner = owner;
        this.name = name;
        this.pooled = pooled;
    }

    /** True once the label has an offset. */
    public boolean isBound() {
        return offset >= 0;
    }

    /** The code offset of this label; fails when it is not bound yet. */
    public int offset() {
        if (offset < 0) {
            throw new IllegalStateException("label " + this + " is not bound");
        }
        return offset;
    }

    /** The name given at creation, or null. */
    public String name() {
        return name;
    }

    void bindAt(int offset) {
        if (this.offset >= 0) {
            throw new IllegalStateException("label " + this + " is already bound at 0x" + Integer.toHexString(this.offset));
        }
        this.offset = offset;
    }

    @Override
    public String toString() {
        String at = offset >= 0 ? "@0x" + Integer.toHexString(offset) : "(unbound)";
        return (name != null ? name : "label") + at;
    }

    /**
     * A reference to a label: a little-endian field of {@code size} bytes (1 or 4) at {@code fieldOffset}
     * that receives {@code label + extra - base}.
     */
    record Fixup(int fieldOffset, int size, int base, int extra) {
    }
}
