package dev.kiln.runtime.wasi;

/** Descriptor 0: the guest's standard input. Not seekable ({@code ESPIPE}). */
final class StdinHandle extends Descriptor {
    final StdinStream stream;
    final boolean terminal;

    StdinHandle(StdinStream stream, boolean terminal) {
        super(Rights.STDIN, Rights.STDIN);
        this.stream = stream;
        this.terminal = terminal;
    }

    @Override
    int filetype() {
        return terminal ? WasiAbi.FILETYPE_CHARACTER_DEVICE : WasiAbi.FILETYPE_UNKNOWN;
    }
}
