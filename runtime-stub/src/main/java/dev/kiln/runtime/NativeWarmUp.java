package dev.kiln.runtime;

import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.linker.VirtualMemory;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.CompilerBuildId;

/**
 * Starts one-time costs on a background thread, so they overlap with reading and validating a
 * module instead of delaying its first instruction: on every tier the JVM's downcalls that
 * reserve and commit linear memory; on the native and auto tiers also the compiler's build id,
 * the JVM's upcall stubs for runtime helpers, host calls and the interpreter adapter, and
 * executable memory with the trap routine. Whoever needs them first waits for the class
 * initialisation to finish.
 */
final class NativeWarmUp {
    private static volatile boolean started;

    private NativeWarmUp() {
    }

    /** Begins warming up what {@code tier} needs (once per process); returns at once. */
    static void start(Tier tier) {
        if (started) return;
        started = true;
        boolean natively = tier != Tier.INTERP && Backends.host() != null;
        Thread.ofPlatform().daemon().name("kiln-warm-up").start(() -> {
            try {
                long page = VirtualMemory.pageSize();
                try (VirtualMemory m = VirtualMemory.reserve(page)) {
                    m.commit(0, page);
                }
                if (!natively) return;
                CompilerBuildId.get();
                NativeUpcalls.helperAddress(RuntimeHelper.MEMORY_GROW);
                NativeCodeMemory.get(Backends.host());
            } catch (Throwable ignored) {
                // the same failure surfaces, with its message, where the code is needed
            }
        });
    }
}
