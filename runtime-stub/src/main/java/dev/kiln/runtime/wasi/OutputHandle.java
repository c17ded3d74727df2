package dev.kiln.runtime.wasi;

import java.io.OutputStream;

/** Descriptors 1 and 2: standard output and standard error. Every write is flushed at once. */
final class OutputHandle extends Descriptor {
    final OutputStream out;
    final boolean terminal;

    OutputHandle(OutputStream out, boolean terminal) {
        super(Rights.STDOUT, Rights.STDOUT);
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    int filetype() {
        return terminal ? WasiAbi.FILETYPE_CHARACTER_DEVICE : WasiAbi.FILETYPE_UNKNOWN;
    }
}
