package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;

/**
 * A function implemented in Java that a module imports as {@code module.name}. Values cross as raw
 * longs: i32 in the low 32 bits, i64 as is, f32/f64 as their IEEE bits, references as handles, a
 * v128 as two consecutive longs, low half first ({@link V128#of(long[], int)}).
 */
public record HostFunction(String module, String name, FuncType type, Implementation implementation) {
    @FunctionalInterface
    public interface Implementation {
        /**
         * Called with the arguments; returns the results (an empty array, or null, when there are
         * none). Throwing {@link ProcessExit} ends the program; any other exception becomes a trap.
         */
        long[] call(Caller caller, long[] args) throws Exception;
    }
}
