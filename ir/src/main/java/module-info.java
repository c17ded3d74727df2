/** The register IR, its passes and the machine-code model (kiln internals). */
module dev.kiln.ir {
    requires transitive dev.kiln.frontend;

    exports dev.kiln.ir to dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
    exports dev.kiln.ir.abi to dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
    exports dev.kiln.ir.code to dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
    exports dev.kiln.ir.pass to dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
    exports dev.kiln.ir.vector to dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
}
