package dev.kiln.runtime;

/**
 * The process's native code space is full of code that may still run, so no more can be placed.
 * On the native tier instantiation fails with this; the auto tier keeps interpreting instead.
 * Code of a module is freed once the module is unreachable and every store that ran it is closed.
 */
public final class CodeSpaceFullException extends IllegalStateException {
    CodeSpaceFullException(long liveBytes, long sizeBytes) {
        super("native code space full: " + (liveBytes >> 20) + " MiB of " + (sizeBytes >> 20)
                + " MiB hold code that may still run (close the stores and drop the modules you no longer need)");
    }
}
