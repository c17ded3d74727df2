package dev.kiln.ir.code;

/**
 * Choices that change the machine code a backend generates, and so are part of a cached object's
 * identity. With {@code fuel}, code consumes fuel at function entries and loop back-edges. With
 * {@code guardPages}, accesses to a 32-bit linear memory are not bounds-checked: the memory's 8 GiB
 * reservation makes every out-of-bounds access fault, and the runtime's signal handler turns the
 * fault at a recorded access site into the out-of-bounds trap; without it every access compares
 * its end with the memory size first.
 *
 * <p>{@code compileBudget} is the most memory (bytes) the compiler may need for one function,
 * estimated from its body size before compiling ({@link CompileBudget}); a function over it is not
 * compiled. It does not change the code generated, so it is not part of {@link #key()}.
 */
public record CodeOptions(boolean fuel, boolean guardPages, long compileBudget) {
    public static final CodeOptions DEFAULT = new CodeOptions(false, true);
    public static final CodeOptions FUEL = new CodeOptions(true, true);

    public CodeOptions {
        if (compileBudget <= 0) throw new IllegalArgumentException("the compile budget must be positive: " + compileBudget);
    }

    /** These options with the default compile budget ({@link CompileBudget#DEFAULT}). */
    public CodeOptions(boolean fuel, boolean guardPages) {
        this(fuel, guardPages, CompileBudget.DEFAULT);
    }

    /** These options with explicit bounds checks instead of guard pages. */
    public CodeOptions withExplicitBounds() {
        return new CodeOptions(fuel, false, compileBudget);
    }

    /** These options with another per-function compile budget (bytes). */
    public CodeOptions withCompileBudget(long bytes) {
        return new CodeOptions(fuel, guardPages, bytes);
    }

    /** The options as they enter the cache key. */
    public String key() {
        return "bounds=" + (guardPages ? "guard" : "explicit") + (fuel ? ",fuel" : "");
    }
}
