package dev.kiln.frontend;

/**
 * Limits of a table (in elements) or a memory (in 64 KiB pages). Values are unsigned 64-bit
 * quantities held in a long (at most 32 bits for 32-bit memories and tables); {@code max} means
 * something only when {@code hasMax}.
 */
public record Limits(long min, long max, boolean hasMax) {
    public Limits {
        if (!hasMax) max = 0; // one representation of "no maximum", so equal limits are equal records
    }

    /** The {@code max} of the two-argument form that stands for "no maximum". */
    public static final long NO_MAX = -1;

    /** Limits whose maximum is absent when {@code max} is {@link #NO_MAX} (32-bit values only). */
    public Limits(long min, long max) {
        this(min, max, max != NO_MAX);
    }

    /** Import subtyping of limits (spec: "Limits" under import matching), unsigned. */
    public boolean matches(Limits declared) {
        if (Long.compareUnsigned(min, declared.min) < 0) return false;
        if (!declared.hasMax()) return true;
        return hasMax() && Long.compareUnsigned(max, declared.max) <= 0;
    }

    @Override
    public String toString() {
        return hasMax() ? Long.toUnsignedString(min) + " " + Long.toUnsignedString(max) : Long.toUnsignedString(min);
    }
}
