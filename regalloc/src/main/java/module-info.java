/** Register allocation (kiln internals). */
module dev.kiln.regalloc {
    requires transitive dev.kiln.ir;

    exports dev.kiln.regalloc to dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.interpreter, dev.kiln.runtime;
}
