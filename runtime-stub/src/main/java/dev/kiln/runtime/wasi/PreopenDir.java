package dev.kiln.runtime.wasi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory the guest may use, and the name the guest knows it by (what
 * {@code fd_prestat_dir_name} returns, typically {@code "/"} or {@code "."} or the host path).
 */
public record PreopenDir(Path hostPath, String guestPath) {
    public PreopenDir {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(guestPath, "guestPath");
    }

    /**
     * Parses a {@code --dir} argument as {@code wasmtime run} does: {@code HOST} (the guest sees it
     * under the same name) or {@code HOST::GUEST}.
     */
    public static PreopenDir parse(String spec) {
        int sep = spec.indexOf("::");
        if (sep < 0) return new PreopenDir(Path.of(spec), spec);
        String host = spec.substring(0, sep);
        String guest = spec.substring(sep + 2);
        if (host.isEmpty() || guest.isEmpty()) {
            throw new IllegalArgumentException("bad directory mapping '" + spec + "': expected HOST[::GUEST]");
        }
        return new PreopenDir(Path.of(host), guest);
    }
}
