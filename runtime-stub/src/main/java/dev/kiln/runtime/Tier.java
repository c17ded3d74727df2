package dev.kiln.runtime;

/** How a store runs the functions of its instances. */
public enum Tier {
    /** Every function in the interpreter. */
    INTERP,
    /** Every function as native code for this machine (compiled, or loaded from the cache, before running). */
    NATIVE,
    /**
     * Both: functions with cached code bind to it on their first call; the others start in the
     * interpreter and are compiled in the background when they become hot.
     */
    AUTO
}
