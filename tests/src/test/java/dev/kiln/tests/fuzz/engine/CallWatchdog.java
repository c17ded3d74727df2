package dev.kiln.tests.fuzz.engine;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Guards against a kiln tier that never returns (generated programs terminate by construction,
 * in a few milliseconds, so a long call is a bug). After {@code kiln.fuzz.callSeconds} (default
 * 20) the store is interrupted, which stops Wasm code at its next call or loop iteration; if
 * even that does not return within as long again, the code ignores interruption: the case being
 * run is printed and the JVM halts (status 3), since nothing else can stop native code.
 */
public final class CallWatchdog {
    static final long SECONDS = Long.getLong("kiln.fuzz.callSeconds", 20);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-call-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static volatile Supplier<String> currentCase = () -> "(unknown case)";

    private CallWatchdog() {
    }

    /** What to print if a call hangs for good (the differential check sets the case it runs). */
    public static void describeCurrentCase(Supplier<String> description) {
        currentCase = description;
    }

    /** A running guard for one call of {@code engine}; {@code interrupt} stops its code. */
    static Guard start(String engine, Runnable interrupt) {
        ScheduledFuture<?> soft = TIMER.schedule(interrupt, SECONDS, TimeUnit.SECONDS);
        ScheduledFuture<?> hard = TIMER.schedule(() -> {
            System.out.println("fuzz: " + engine + " still runs " + 2 * SECONDS + " s after the call began, although interrupted."
                    + " The case:\n" + currentCase.get());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, 2 * SECONDS, TimeUnit.SECONDS);
        return new Guard(soft, hard);
    }

    record Guard(ScheduledFuture<?> soft, ScheduledFuture<?> hard) {
        /** Stops guarding; true when the call had to be interrupted. */
        boolean stop() {
            hard.cancel(false);
            return !soft.cancel(false);
        }
    }
}
