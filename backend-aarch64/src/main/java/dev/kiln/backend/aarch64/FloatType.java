package dev.kiln.backend.aarch64;

import java.util.Arrays;

/** The {@code ftype} field of scalar floating-point instructions: S (single) or D (double) registers. */
final class FloatType {
    private FloatType() {
    }

    /** The ftype bits (0 for S, 1 for D), checking that {@code r} is an S or D view. */
    static int of(String what, VectorRegister r) {
        return switch (r.shape()) {
            case S -> 0;
            case D -> 1;
            default -> throw new IllegalArgumentException(what + ": " + r + " must be an S or D register");
        };
    }

    /** The ftype bits of two registers that must have the same type. */
    static int same(String what, VectorRegister... rs) {
        int type = of(what, rs[0]);
        for (VectorRegister r : rs) {
            if (of(what, r) != type) {
                throw new IllegalArgumentException(what + ": registers mix S and D views: " + Arrays.toString(rs));
            }
        }
        return type;
    }
}
