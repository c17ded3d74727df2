package dev.kiln.cli;

import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CompileBudget;
import dev.kiln.runtime.Store;
import org.kohsuke.args4j.Option;

/**
 * The resource limits of {@code kiln run}: fuel, a wall-clock timeout, caps on memory and table
 * growth and on the GC heap, and the guest stack. {@link Main} adds these options to the command's own.
 */
final class LimitOptions {
    @Option(name = "--fuel", metaVar = "N",
            usage = "stop with 'out of fuel' after N function entries and loop iterations (deterministic, every tier)")
    Long fuel;

    @Option(name = "--timeout", metaVar = "MS", usage = "interrupt the program after MS milliseconds of wall-clock time")
    Long timeoutMillis;

    @Option(name = "--max-memory", metaVar = "BYTES", usage = "cap each linear memory at BYTES (memory.grow past it returns -1); default: no cap but each memory's own"
                    + " (its maximum; 4 GiB for a 32-bit memory, 8 GiB for a 64-bit one)")
    Long maxMemoryBytes;

    @Option(name = "--max-table-elements", metaVar = "N", usage = "cap each table at N elements (table.grow past it returns -1)")
    Long maxTableElements;

    @Option(name = "--compile-budget", metaVar = "BYTES",
            usage = "the compiler memory one function may need, estimated from its body size (default half the JVM's heap);"
                    + " a function over it stays interpreted on auto and is an error on the native tier")
    Long compileBudget;

    @Option(name = "--max-gc-heap", metaVar = "BYTES",
            usage = "cap the GC heap (structs and arrays) at BYTES of native memory (default 1 GiB; past it after a collection: 'out of GC heap memory')")
    Long maxGcHeap;

    @Option(name = "--max-wasm-stack", metaVar = "BYTES",
            usage = "guest stack of each call into the program, every tier alike (default 512 KiB; past it: 'call stack exhausted')")
    Long maxWasmStack;

    /** A usage error in the limits, or null. */
    String problem() {
        if (fuel != null && fuel < 0) return "--fuel must not be negative";
        if (timeoutMillis != null && timeoutMillis <= 0) return "--timeout must be positive";
        if (maxMemoryBytes != null && maxMemoryBytes < 0) return "--max-memory must not be negative";
        if (maxTableElements != null && maxTableElements < 0) return "--max-table-elements must not be negative";
        if (maxWasmStack != null && maxWasmStack <= 0) return "--max-wasm-stack must be positive";
        if (compileBudget != null && compileBudget <= 0) return "--compile-budget must be positive";
        if (maxGcHeap != null && maxGcHeap < 0) return "--max-gc-heap must not be negative";
        return null;
    }

    CodeOptions codeOptions() {
        return (fuel != null ? CodeOptions.FUEL : CodeOptions.DEFAULT).withCompileBudget(compileBudget());
    }

    /** The per-function compile budget (bytes): {@code --compile-budget}, else the default. */
    long compileBudget() {
        return compileBudget != null ? compileBudget : CompileBudget.DEFAULT;
    }

    /** Sets the limits on a store before anything is instantiated in it. */
    void apply(Store store) {
        if (fuel != null) store.fuel(fuel);
        if (maxMemoryBytes != null) store.maxMemoryPages(maxMemoryBytes / 65536);
        if (maxTableElements != null) store.maxTableElements(maxTableElements);
        if (maxWasmStack != null) store.maxWasmStack(maxWasmStack);
        if (maxGcHeap != null) store.maxGcHeapBytes(maxGcHeap);
    }

    /** How long a program may take to stop after the timeout interrupted it before the kiln process ends anyway. */
    static final long STOP_GRACE_MILLIS = 5000;

    /**
     * Starts the timeout, if any: the store is interrupted when it expires. Close to cancel. With
     * {@code stuck} set, a program that has not stopped {@link #STOP_GRACE_MILLIS} later (blocked in
     * a host call Java cannot interrupt, such as a write to a pipe nobody reads) is given up on:
     * {@code stuck} runs (the kiln command reports it and exits).
     */
    AutoCloseable startTimeout(Store store, Runnable stuck) {
        if (timeoutMillis == null) return () -> { };
        Thread timer = Thread.ofPlatform().daemon().name("kiln-timeout").start(() -> {
            try {
                Thread.sleep(timeoutMillis);
                store.interrupt();
                if (stuck == null) return;
                Thread.sleep(STOP_GRACE_MILLIS);
                stuck.run();
            } catch (InterruptedException cancelled) {
                // the program finished first
            }
        });
        return timer::interrupt;
    }

    /** Explains an interruption: it came from the timeout (a line, or nothing). */
    String describeInterruption() {
        return timeoutMillis == null ? "" : "kiln run: stopped because --timeout " + timeoutMillis + " ms expired\n";
    }
}
