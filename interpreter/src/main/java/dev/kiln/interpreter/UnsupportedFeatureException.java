package dev.kiln.interpreter;

/** A valid module uses a feature this tier cannot execute yet (SIMD in the interpreter). */
public final class UnsupportedFeatureException extends RuntimeException {
    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
