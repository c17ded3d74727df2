package dev.kiln.tests.spec;

import java.nio.file.Path;

/** One way of running spec commands: the frontend alone, the interpreter, a native backend, ... */
public interface SpecTier {
    /** The tier's name in the report: frontend, interp, x86_64, aarch64, auto. */
    String name();

    /** Starts a new script: forgets its modules and registrations. */
    void reset();

    /**
     * Runs one command of a script whose modules are in {@code dir}. Returns null when this tier does
     * not run that kind of command (it is then counted as skipped).
     */
    Outcome run(SpecScript.Command command, Path dir) throws Exception;

    record Outcome(boolean passed, String detail) {
        public static final Outcome PASS = new Outcome(true, "");

        public static Outcome fail(String detail) {
            return new Outcome(false, detail);
        }
    }
}
