/** The x86-64 backend (kiln internals). */
module dev.kiln.backend.x64 {
    requires transitive dev.kiln.backend;

    exports dev.kiln.backend.x64 to dev.kiln.runtime;
}
