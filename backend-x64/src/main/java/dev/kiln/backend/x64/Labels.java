package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The labels of one {@link X64Assembler}: creating them, binding them, and recording and patching the
 * code fields that refer to them.
 */
final class Labels {
    private final X64Assembler owner;
    private final CodeBuffer code;
    private final List<Label> all = new ArrayList<>();

    Labels(X64Assembler owner, CodeBuffer code) {
        this.owner = owner;
        this.code = code;
    }

    Label create(String name, boolean pooled) {
        Label label = new Label(owner, name, pooled);
        all.add(label);
        return label;
    }

    void checkOwned(Label label) {
        if (Objects.requireNonNull(label, "label").owner != owner) {
            throw new IllegalArgumentException("label " + label + " belongs to another assembler");
        }
    }

    /** Binds {@code label} to the current code offset and patches every reference waiting for it. */
    void bindHere(Label label) {
        label.bindAt(code.position());
        for (Label.Fixup f : label.pending) {
            patch(label, f);
        }
        label.pending.clear();
    }

    /**
     * Makes the {@code size}-byte field at {@code field} hold {@code label + extra - base}: now when the label
     * is bound, else when it gets bound.
     */
    void refer(Label label, int field, int size, int base, int extra) {
        checkOwned(label);
        Label.Fixup fixup = new Label.Fixup(field, size, base, extra);
        if (label.isBound()) {
            patch(label, fixup);
        } else {
            label.pending.add(fixup);
        }
    }

    private void patch(Label label, Label.Fixup f) {
        long value = (long) label.offset() + f.extra() - f.base();
        if (f.size() == 1 && value != (byte) value) {
            throw new IllegalStateException("short branch at " + Listing.hex(f.fieldOffset() - 1) + " cannot reach "
                    + label + " (distance " + value + ")");
        }
        code.patch(f.fieldOffset(), value, f.size());
    }

    /**
     * Fails with {@link IllegalStateException} naming every label that is referenced but not bound (pool
     * labels excepted: finish() binds them), and every unbound jump-table target.
     */
    void checkAllBound(List<Label> jumpTargets) {
        StringJoiner problems = new StringJoiner("; ");
        for (Label label : all) {
            if (!label.isBound() && !label.pending.isEmpty() && !label.pooled) {
                StringJoiner at = new StringJoiner(", ");
                label.pending.forEach(f -> at.add(Listing.hex(f.fieldOffset())));
                problems.add(label + " referenced at " + at);
            }
        }
        for (Label target : jumpTargets) {
            if (!target.isBound()) {
                problems.add(target + " used in a jump table");
            }
        }
        if (problems.length() > 0) {
            throw new IllegalStateException("unbound labels: " + problems);
        }
    }
}
