package dev.kiln.backend.aarch64;

/**
 * A PC-relative instruction waiting for its {@link Label} to be bound. A short-range conditional
 * branch whose label stays unbound too long is redirected to a veneer ({@code b label}) in an
 * island and marked {@link #done}.
 */
final class LabelUse {
    final int offset;
    final PcRelativeOp op;
    final Label label;
    boolean done;

    LabelUse(int offset, PcRelativeOp op, Label label) {
        this.offset = offset;
        this.op = op;
        this.label = label;
    }

    /** The highest offset this reference can reach. */
    long deadline() {
        return offset + op.field.maxForward();
    }
}
