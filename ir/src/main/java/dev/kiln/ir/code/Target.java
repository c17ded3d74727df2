package dev.kiln.ir.code;

import java.util.Locale;

/** An instruction-set architecture kiln compiles for, with its ELF machine number. */
public enum Target {
    X86_64("x86_64", 62),
    AARCH64("aarch64", 183);

    /** The name used on the command line, in cache keys and in reports. */
    public final String id;
    /** ELF {@code e_machine}: EM_X86_64 or EM_AARCH64. */
    public final int elfMachine;

    Target(String id, int elfMachine) {
        this.id = id;
        this.elfMachine = elfMachine;
    }

    /** The architecture this JVM runs on, or null when kiln has no backend for it. */
    public static Target host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> null;
        };
    }

    /** Parses {@code x86_64} / {@code aarch64} (and the aliases amd64, x64, arm64). */
    public static Target parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "amd64", "x64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalArgumentException("unknown target '" + s + "' (x86_64 or aarch64)");
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
