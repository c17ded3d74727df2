package dev.kiln.ir.code;

/**
 * Choices that change the machine code a backend generates, and so are part of a cached object's
 * identity. With {@code fuel}, code consumes fuel at function entries and loop back-edges. With
 * {@code guardPages}, accesses to a 32-bit linear memory are not bounds-checked: the memory's 8 GiB
 * reservation makes every out-of-bounds access fault, and the runtime's signal handler turns the
 * fault at a recorded access site into the out-of-bounds trap; without it every access compares
 * its end with the memory size first.
 */
public record CodeOptions(boolean fuel, boolean guardPages) {
    public static final CodeOptions DEFAULT = new CodeOptions(false, true);
    public static final CodeOptions FUEL = new CodeOptions(true, true);

    /** These options with explicit bounds checks instead of guard pages. */
    public CodeOptions withExplicitBounds() {
        return new CodeOptions(fuel, false);
    }

    /** The options as they enter the cache key. */
    public String key() {
        return "bounds=" + (guardPages ? "guard" : "explicit") + (fuel ? ",fuel" : "");
    }
}
