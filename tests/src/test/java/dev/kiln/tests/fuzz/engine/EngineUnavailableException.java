package dev.kiln.tests.fuzz.engine;

/** The engine itself failed (its process died, its protocol broke): not a finding about the module. */
public final class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
