package dev.kiln.wast;

/** The outcome of one command: its status and, for failures and commands not run, why. */
record Outcome(CommandStatus status, String detail) {
    static final Outcome PASS = new Outcome(CommandStatus.PASSED, "");

    static Outcome fail(String detail) {
        return new Outcome(CommandStatus.FAILED, detail);
    }

    /** Not run because of {@code reason}: a feature's name, or "not run: ..." from an earlier command. */
    static Outcome notRun(String reason) {
        return new Outcome(CommandStatus.NOT_RUN, reason);
    }
}
