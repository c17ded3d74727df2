package dev.kiln.wast;

/** What became of one script command. */
public enum CommandStatus {
    PASSED,
    FAILED,
    /** Not run: the tier does not execute a feature the command needs, or its module was not run. */
    NOT_RUN
}
