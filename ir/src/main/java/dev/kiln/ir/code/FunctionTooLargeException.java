package dev.kiln.ir.code;

/** A function whose body needs more compiler memory than the compile budget allows ({@link CompileBudget}). */
public final class FunctionTooLargeException extends RuntimeException {
    private final String function;
    private final long bodyBytes;
    private final long budget;

    public FunctionTooLargeException(String function, long bodyBytes, long estimate, long budget) {
        super(String.format("function %s is too large to compile: its body is %d bytes, which needs about %d MiB"
                + " of compiler memory, over the compile budget of %d MiB", function, bodyBytes, estimate >> 20, budget >> 20));
        this.function = function;
        this.bodyBytes = bodyBytes;
        this.budget = budget;
    }

    /** The function's display name. */
    public String function() {
        return function;
    }

    /** The size of its body (bytes of code). */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** The budget it exceeded (bytes). */
    public long budget() {
        return budget;
    }
}
