package dev.kiln.runtime.internal;

import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.Target;

/** The backend for each target: the one place that names the backend modules. */
public final class Backends {
    private Backends() {
    }

    public static Backend forTarget(Target t) {
        return switch (t) {
            case X86_64 -> X64Backend.INSTANCE;
            case AARCH64 -> A64Backend.INSTANCE;
        };
    }

    /** The backend for the machine this JVM runs on, or null when there is none. */
    public static Backend host() {
        Target t = Target.host();
        try {
            return t == null ? null : forTarget(t);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
