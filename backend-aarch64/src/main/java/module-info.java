/** The AArch64 backend (kiln internals). */
module dev.kiln.backend.aarch64 {
    requires transitive dev.kiln.backend;

    exports dev.kiln.backend.aarch64 to dev.kiln.runtime;
}
