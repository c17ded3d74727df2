package dev.kiln.runtime;

/**
 * Starts the one-time costs of running native code (the compiler's build id, the JVM's upcall stubs for runtime helpers,
 * host calls and the interpreter adapter; executable memory with the trap routine) on a
 * background thread, so they overlap with reading and validating a module instead of delaying
 * its first instruction. Whoever needs them first waits for the class initialisation to finish.
 */
public final class NativeWarmUp {
    private static volatile boolean started;

    private NativeWarmUp() {
    }

    /** Begins warming up (once per process); returns at once. Does nothing without a host backend. */
    public static void start() {
        if (started || Backends.host() == null) return;
        started = true;
        Thread.ofPlatform().daemon().name("kiln-warm-up").start(() -> {
            try {
                CompilerBuildId.get();
                NativeUpcalls.helperAddress(dev.kiln.ir.abi.RuntimeHelper.MEMORY_GROW);
                NativeCodeMemory.get(Backends.host());
            } catch (Throwable ignored) {
                // the same failure surfaces, with its message, where the code is needed
            }
        });
    }
}
