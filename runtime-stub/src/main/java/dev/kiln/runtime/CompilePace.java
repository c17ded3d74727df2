package dev.kiln.runtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * How much the background compilers may compile: the program earns it by running in the interpreter.
 * Each body byte compiled costs {@code eventsPerByte} interpreter events (calls and loop back-edges,
 * counted at the interpreter's polls), after a first {@code allowanceBytes} that are free. A compile
 * that the program has not earned yet waits (the interpreter keeps running the function meanwhile).
 *
 * <p>Why: compiling pays only when the function then runs long enough in native code to win back
 * the compile, and in a cold JVM kiln's compiler (itself still interpreted and JIT-compiled by the
 * JVM) takes microseconds per body byte, as long as a few interpreted events. On a loaded or 2-core
 * machine every compile takes CPU from the program. Tied to the program's own progress, the
 * compilers spend at most about one event's worth of CPU per {@code eventsPerByte} events the
 * program ran (a ski-rental bound: a function is compiled only once the program has spent
 * several times its compile cost interpreting), so a short run is not slowed by compiles that could
 * not pay off, and a long one gets everything hot compiled. The bound counts events and bytes, not
 * time, so it is the same on every machine and under any load (and tests can drive it).
 *
 * <p>A store's first compile also switches it to native code ({@code Store.activateNative}), which in a
 * cold JVM costs far more than any one compile: the JVM loads and JIT-compiles kiln's backend and the
 * foreign-function stubs between the tiers, and every call between an interpreted and a native function
 * then crosses them. That first compile waits until the program has run {@code switchEvents} events
 * in all, unless its function has run at least half of all events so far: a program whose time is
 * in one function (a kernel's loop) switches at once, start-up code whose hot functions each run a
 * few percent of the events (SQLite's statements, Yosys's {@code --version}) does not switch for a
 * short run, where it could not win the switch back.
 */
final class CompilePace {
    /** Body bytes compiled before the program has to earn any: a few small hot functions (a kernel's loop) at once. */
    static final long ALLOWANCE_BYTES = 8 * 1024;
    /**
     * Interpreter events that earn one body byte. A byte of body takes ~2 µs to compile in a cold JVM
     * (SQLite's 50 KB {@code sqlite3VdbeExec}: 110 ms of compiler CPU), an interpreted event ~0.5-1 µs.
     */
    static final long EVENTS_PER_BYTE = 16;
    /**
     * Interpreter events after which a store switches to native code for any hot function, ~2 s of
     * interpreting SQLite (whose {@code run(1000)} is ~0.5 Mi events; Yosys's {@code --version} 86 Ki,
     * its coarse synthesis passes 30 Mi): ski rental against a switch that costs a cold JVM 0.1-0.4 s of
     * CPU, which the few percent of the run each function holds there win back only on longer runs.
     */
    static final long SWITCH_EVENTS = 1 << 20;

    private final long allowanceBytes;
    private final long eventsPerByte;
    private final long switchEvents;
    private final LongAdder events = new LongAdder();
    private long spentBytes;

    CompilePace(long allowanceBytes, long eventsPerByte, long switchEvents) {
        this.allowanceBytes = allowanceBytes;
        this.eventsPerByte = eventsPerByte;
        this.switchEvents = switchEvents;
    }

    /** A pace whose stores switch to native code with their first compile earned. */
    CompilePace(long allowanceBytes, long eventsPerByte) {
        this(allowanceBytes, eventsPerByte, 0);
    }

    /** The process's pace: {@link #ALLOWANCE_BYTES}, {@link #EVENTS_PER_BYTE}, {@link #SWITCH_EVENTS}. */
    static CompilePace standard() {
        return new CompilePace(ALLOWANCE_BYTES, EVENTS_PER_BYTE, SWITCH_EVENTS);
    }

    /** No bound: every request is compiled when a compiler is free. */
    static CompilePace unbounded() {
        return new CompilePace(Long.MAX_VALUE / 2, 1, 0);
    }

    /** The program ran {@code n} more interpreter events. Called by interpreter threads: cheap, no lock. */
    void progress(long n) {
        events.add(n);
    }

    /** Interpreter events counted so far. */
    long events() {
        return events.sum();
    }

    /** Whether a compile of {@code bytes} body bytes is earned now. */
    synchronized boolean affords(long bytes) {
        return spentBytes + bytes <= allowanceBytes + events.sum() / eventsPerByte;
    }

    /**
     * Whether a store may switch to native code for a function that has run {@code functionEvents}
     * interpreter events: the program ran {@code switchEvents} in all, or half of them were that function's.
     */
    boolean affordsSwitch(long functionEvents) {
        long all = events.sum();
        return all >= switchEvents || 2 * functionEvents >= all;
    }

    /** A compile of {@code bytes} body bytes starts. */
    synchronized void spend(long bytes) {
        spentBytes += bytes;
    }
}
