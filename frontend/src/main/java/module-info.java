/** The decoder, validator and text-format parser (kiln internals: exported only to kiln's own modules). */
module dev.kiln.frontend {
    exports dev.kiln.frontend to dev.kiln.ir, dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
    exports dev.kiln.frontend.text to dev.kiln.ir, dev.kiln.regalloc, dev.kiln.backend, dev.kiln.backend.x64, dev.kiln.backend.aarch64, dev.kiln.linker, dev.kiln.interpreter, dev.kiln.runtime;
}
