package dev.kiln.runtime;

import dev.kiln.ir.code.Target;

import java.util.List;
import java.util.Optional;

/**
 * What native code is compiled for: an instruction-set architecture ({@code x86_64} or
 * {@code aarch64}). Precompiled objects record their target, and code is only ever bound on a
 * machine that runs it.
 */
public final class CodeTarget {
    public static final CodeTarget X86_64 = new CodeTarget(Target.X86_64);
    public static final CodeTarget AARCH64 = new CodeTarget(Target.AARCH64);

    private final Target target;

    private CodeTarget(Target target) {
        this.target = target;
    }

    static CodeTarget of(Target t) {
        return t == Target.X86_64 ? X86_64 : AARCH64;
    }

    /** Every target kiln compiles for. */
    public static List<CodeTarget> all() {
        return List.of(X86_64, AARCH64);
    }

    /** The machine this JVM runs on, when kiln has a backend for it. */
    public static Optional<CodeTarget> host() {
        Target t = Target.host();
        return t == null ? Optional.empty() : Optional.of(of(t));
    }

    /** Parses {@code x86_64} or {@code aarch64} (aliases: amd64, x64, arm64). */
    public static CodeTarget parse(String name) {
        return of(Target.parse(name));
    }

    Target target() {
        return target;
    }

    /** {@code x86_64} or {@code aarch64}: the name the CLI, cache keys and precompiled resources use. */
    public String name() {
        return target.id;
    }

    @Override
    public String toString() {
        return name();
    }
}
