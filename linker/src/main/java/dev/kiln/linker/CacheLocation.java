package dev.kiln.linker;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the code cache lives. In order of precedence: a directory given explicitly (the CLI's flag),
 * the {@code KILN_CACHE_DIR} environment variable, {@code $XDG_CACHE_HOME/kiln} (when that variable
 * is an absolute path, as the XDG base directory specification requires), and {@code ~/.cache/kiln}.
 */
public final class CacheLocation {
    /** The environment variable that overrides the default location. */
    public static final String ENV_CACHE_DIR = "KILN_CACHE_DIR";

    private CacheLocation() {
    }

    /**
     * Resolves the cache directory.
     *
     * @param explicit a directory given on the command line, or null
     * @param env      the environment (usually {@link System#getenv()})
     * @param userHome the user's home directory (usually the {@code user.home} system property)
     */
    public static Path resolve(String explicit, Map<String, String> env, String userHome) {
        if (explicit != null && !explicit.isEmpty()) return Path.of(explicit);
        String kiln = env.get(ENV_CACHE_DIR);
        if (kiln != null && !kiln.isEmpty()) return Path.of(kiln);
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "kiln");
        return Path.of(userHome, ".cache", "kiln");
    }

    /** The directory for this process: environment and {@code user.home}, no explicit directory. */
    public static Path defaultDirectory() {
        return resolve(null, System.getenv(), System.getProperty("user.home"));
    }
}
