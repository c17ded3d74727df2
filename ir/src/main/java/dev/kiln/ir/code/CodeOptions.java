package dev.kiln.ir.code;

/**
 * Choices that change the machine code a backend generates, and so are part of a cached object's
 * identity. Bounds checks are always explicit (compare against the memory size); with
 * {@code fuel}, code consumes fuel at function entries and loop back-edges.
 */
public record CodeOptions(boolean fuel) {
    public static final CodeOptions DEFAULT = new CodeOptions(false);
    public static final CodeOptions FUEL = new CodeOptions(true);

    /** The options as they enter the cache key. */
    public String key() {
        return "bounds=explicit" + (fuel ? ",fuel" : "");
    }
}
