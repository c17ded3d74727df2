package dev.kiln.runtime;

/** What a host function can reach of the instance that called it. */
public interface Caller {
    /** The calling instance's memory exported as {@code "memory"} (or its only memory), or null. */
    Memory memory();
}
