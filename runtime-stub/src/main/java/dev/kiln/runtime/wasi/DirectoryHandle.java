package dev.kiln.runtime.wasi;

import java.nio.file.Path;

/**
 * A directory descriptor: a preopen or a directory opened with {@code path_open}. Paths given
 * relative to it are resolved by {@link PathResolver} and can never leave it, not even towards
 * directories above it that the guest could reach from a preopen.
 *
 * <p>The JDK has no {@code openat}, so the handle holds the directory's real host path rather than an
 * open host descriptor: if the directory is renamed while open (by the guest or by another host
 * process), the handle follows the old path.
 */
final class DirectoryHandle extends Descriptor {
    final Path hostPath;
    /** The name given to {@code fd_prestat_dir_name} for a preopen; null for other directories. */
    final String preopenName;

    DirectoryHandle(Path hostPath, String preopenName, long rightsBase, long rightsInheriting) {
        super(rightsBase, rightsInheriting);
        this.hostPath = hostPath;
        this.preopenName = preopenName;
    }

    @Override
    int filetype() {
        return WasiAbi.FILETYPE_DIRECTORY;
    }
}
