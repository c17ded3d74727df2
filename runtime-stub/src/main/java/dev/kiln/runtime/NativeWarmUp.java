package dev.kiln.runtime;

import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.VirtualMemory;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.CompilerBuildId;

/**
 * Starts one-time costs on a background thread, so they overlap with reading and validating a
 * module instead of delaying its first instruction: on every tier the JVM's downcalls that
 * reserve and commit linear memory; on the native tier also the compiler's build id and the first SHA-256
 * (the cache's module-hash memo and object headers need it), the JVM's
 * upcall stubs for runtime helpers, host calls and the interpreter adapter, and executable memory
 * with the trap routine. The auto tier warms up only the build id (when it looks in a cache) and
 * the upcall stubs once a module comes with native code (a cache hit, precompiled code): without
 * it, the program starts in the interpreter and may never switch to native code (a short run may
 * not earn a compile, see {@link CompilePace}), so it must not pay for that switch up front.
 * Whoever needs them first waits for the class initialisation to finish.
 */
final class NativeWarmUp {
    private static volatile boolean started;
    private static volatile boolean upcallsStarted;

    private NativeWarmUp() {
    }

    /** Begins warming up what {@code tier} needs (once per process); returns at once. {@code cacheLookups}: the engine looks in a cache. */
    static void start(Tier tier, boolean cacheLookups) {
        if (started) return;
        started = true;
        boolean host = Backends.host() != null;
        boolean natively = tier == Tier.NATIVE && host;
        boolean buildId = natively || tier == Tier.AUTO && host && cacheLookups;
        if (natively) upcallsStarted = true;
        Thread.ofPlatform().daemon().name("kiln-warm-up").start(() -> {
            try {
                if (buildId) { // first: the main thread needs these soonest, to look in the cache
                    CompilerBuildId.get();
                    BuildIdentity.sha256(new byte[0]); // the JVM's first SHA-256 sets up its security providers (~10 ms cold)
                }
                long page = VirtualMemory.pageSize();
                try (VirtualMemory m = VirtualMemory.reserve(page)) {
                    m.commit(0, page);
                }
                if (!natively) return;
                NativeUpcalls.helperAddress(RuntimeHelper.MEMORY_GROW);
                NativeCodeMemory.get(Backends.host());
            } catch (Throwable ignored) {
                // the same failure surfaces, with its message, where the code is needed
            }
        });
    }

    /** A module got native code to run (once per process, when the tier did not warm them up already): the upcall stubs. */
    static void startUpcalls() {
        if (upcallsStarted) return;
        upcallsStarted = true;
        Thread.ofPlatform().daemon().name("kiln-warm-up-upcalls").start(() -> {
            try {
                NativeUpcalls.helperAddress(RuntimeHelper.MEMORY_GROW);
            } catch (Throwable ignored) {
                // surfaces where the stubs are needed
            }
        });
    }
}
