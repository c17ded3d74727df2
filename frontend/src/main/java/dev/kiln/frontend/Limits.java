package dev.kiln.frontend;

/**
 * Limits of a table (in elements) or a memory (in 64 KiB pages). {@code max} is -1 when absent.
 * Values are unsigned 32-bit quantities held in a long.
 */
public record Limits(long min, long max) {
    public static final long NO_MAX = -1;

    public boolean hasMax() {
        return max != NO_MAX;
    }

    /** Import subtyping of limits (spec 2.0, "Limits" under import matching). */
    public boolean matches(Limits declared) {
        if (min < declared.min) return false;
        if (!declared.hasMax()) return true;
        return hasMax() && max <= declared.max;
    }

    @Override
    public String toString() {
        return hasMax() ? min + " " + max : Long.toString(min);
    }
}
