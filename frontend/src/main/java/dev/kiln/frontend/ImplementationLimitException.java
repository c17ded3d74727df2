package dev.kiln.frontend;

/** The module is well-formed but exceeds one of kiln's implementation limits ({@link ImplementationLimits}). */
public final class ImplementationLimitException extends ModuleException {
    public ImplementationLimitException(String reason, long offset) {
        super(reason, offset);
    }

    @Override
    public String category() {
        return "limit";
    }
}
