package dev.kiln.backend.x64;

/**
 * One operand of a listed instruction, kept symbolic until {@link Listing#render()} so that label targets
 * and RIP-relative displacements can be shown with their final values.
 */
sealed interface ListingOperand {
    /** Literal operand text, e.g. a register name or {@code cl}. */
    record Text(String text) implements ListingOperand {
    }

    /** An immediate shown as objdump does: unsigned hex, truncated to {@code bits}. */
    record Immediate(long value, int bits) implements ListingOperand {
    }

    /** A memory operand with its access size in bits (8..128), or 0 for no size keyword (lea). */
    record Memory(MemoryOperand operand, int bits) implements ListingOperand {
    }

    /** A branch target. */
    record Target(Label label) implements ListingOperand {
    }

    static ListingOperand text(String text) {
        return new Text(text);
    }

    static ListingOperand reg(Gpr r, Width w) {
        return new Text(r.intelName(w));
    }

    static ListingOperand reg(Xmm r) {
        return new Text(r.intelName());
    }

    static ListingOperand immediate(long value, Width w) {
        return new Immediate(value, w.bits());
    }

    static ListingOperand memory(MemoryOperand m, int bits) {
        return new Memory(m, bits);
    }

    /** A register at width {@code w} or a memory operand with that access size. */
    static ListingOperand operand(GprOrMemory o, Width w) {
        return switch (o) {
            case Gpr g -> reg(g, w);
            case MemoryOperand m -> memory(m, w.bits());
        };
    }

    /** An XMM register or a memory operand of {@code bits}. */
    static ListingOperand operand(XmmOrMemory o, int bits) {
        return switch (o) {
            case Xmm x -> reg(x);
            case MemoryOperand m -> memory(m, bits);
        };
    }
}
