/** What both native backends share (kiln internals). */
module dev.kiln.backend {
    requires transitive dev.kiln.regalloc;

    exports dev.kiln.backend to dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.runtime;
}
