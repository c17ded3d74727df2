package dev.kiln.runtime;

/** How a store runs the functions of its instances. */
public enum Tier {
    /** Every function in the interpreter. */
    INTERP,
    /** Every function as native code for this machine (compiled, or loaded from the cache, before running). */
    NATIVE
}
