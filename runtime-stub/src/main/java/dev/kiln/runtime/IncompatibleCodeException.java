package dev.kiln.runtime;

/**
 * Native code offered for a module was not made from it, for this machine, with these options or
 * by this compiler build: the module hash, target, code options or compiler build id recorded in
 * the object differ from the module's and the engine's, or the object is damaged. kiln never binds
 * such code; the message says which part differs.
 */
public final class IncompatibleCodeException extends RuntimeException {
    public IncompatibleCodeException(String message) {
        super(message);
    }
}
