package dev.kiln.runtime.wasi;

import dev.kiln.runtime.HostFunction;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host side of WASI preview 1: every function of {@code wasi_snapshot_preview1}, for one guest
 * instance. Build it from a {@link WasiConfig}, link {@link #hostFunctions()} into the module's
 * imports, and {@link #close()} it when the instance is done.
 *
 * <pre>{@code
 * try (WasiPreview1 wasi = new WasiPreview1(config)) {
 *     for (HostFunction f : wasi.hostFunctions()) linker.define(f);   // module "wasi_snapshot_preview1"
 *     instance.call("_start");                                        // ProcessExit carries proc_exit's code
 * }
 * }</pre>
 *
 * <p>Each function needs from its {@link dev.kiln.runtime.Caller} only the calling instance's memory;
 * functions that touch memory trap when there is none.
 *
 * <h2>Behaviour</h2>
 * Behaviour and errnos follow {@code wasmtime run} (its preview 1 adapter) on Linux, including where
 * it traps rather than returning an errno:
 * <ul>
 *   <li>A pointer outside memory traps ({@code OUT_OF_BOUNDS_MEMORY}), never {@code EFAULT}; a
 *       misaligned typed pointer, an undefined enum or flag value in an argument, and
 *       {@code proc_exit} with a status of 126 or more trap with a {@link GuestFault}. Undefined values
 *       inside a {@code poll_oneoff} subscription are {@code EINVAL}.</li>
 *   <li>Descriptors: 0-2 are the standard streams, preopens follow from 3 (see {@link FdTable}).</li>
 *   <li>Paths never leave their directory descriptor (see {@link PathResolver}); escapes are
 *       {@code EPERM}; creating or reading a symlink with an absolute target is {@code EPERM}.</li>
 * </ul>
 * Deliberate differences from wasmtime:
 * <ul>
 *   <li>Rights are tracked and enforced ({@code ENOTCAPABLE}); {@code fd_fdstat_set_rights} drops
 *       rights instead of returning {@code ENOTSUP}. Rights requested by {@code path_open} are
 *       silently narrowed to the directory's inheriting rights.</li>
 *   <li>{@code clock_time_get}/{@code clock_res_get} support the process and thread CPU-time clocks
 *       (wasmtime: {@code EBADF}).</li>
 *   <li>{@code fd_allocate} grows the file (wasmtime: {@code ENOTSUP}).</li>
 *   <li>Trailing slashes follow POSIX: {@code path_remove_directory("dir/")} succeeds and renaming a
 *       non-directory to or from {@code "name/"} is {@code ENOTDIR} (wasmtime 49: {@code EINVAL} and
 *       success).</li>
 *   <li>{@code filestat} has the host's real {@code dev}/{@code ino}; reads and writes use every
 *       iovec, not only the first non-empty one.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance serves one guest instance, whose calls are serial.
 */
public final class WasiPreview1 implements AutoCloseable {
    private final FdTable table = new FdTable();
    private final List<HostFunction> functions;

    /**
     * Sets up the descriptor table: the standard streams and each preopened directory, which must
     * exist ({@link IllegalArgumentException} otherwise).
     */
    public WasiPreview1(WasiConfig config) {
        Boolean forced = config.stdioTerminal();
        boolean tty = forced == null && inheritedTerminal();
        table.add(new StdinHandle(new StdinStream(config.stdin() != null ? config.stdin()
                : new FileInputStream(FileDescriptor.in)), forced != null ? forced : tty && config.stdin() == null));
        table.add(new OutputHandle(config.stdout() != null ? config.stdout()
                : new FileOutputStream(FileDescriptor.out), forced != null ? forced : tty && config.stdout() == null));
        table.add(new OutputHandle(config.stderr() != null ? config.stderr()
                : new FileOutputStream(FileDescriptor.err), forced != null ? forced : tty && config.stderr() == null));
        for (PreopenDir dir : config.preopens()) {
            table.add(new DirectoryHandle(realDirectory(dir.hostPath()), dir.guestPath(),
                    Rights.PREOPEN_BASE, Rights.PREOPEN_INHERITING));
        }

        WasiFunctionSet set = new WasiFunctionSet();
        new ProcessFunctions(config).register(set);
        new FdFunctions(table).register(set);
        new FileIoFunctions(table).register(set);
        new PathFunctions(table).register(set);
        new PollFunction(table, config.clocks()).register(set);
        new SocketFunctions(table).register(set);
        this.functions = set.functions();
    }

    /** Every function of module {@code wasi_snapshot_preview1}, each with its exact Wasm type. */
    public List<HostFunction> hostFunctions() {
        return functions;
    }

    /** Closes every open file; the process's own standard streams stay open. */
    @Override
    public void close() {
        table.closeAll();
    }

    private static boolean inheritedTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    private static Path realDirectory(Path host) {
        try {
            Path real = host.toRealPath();
            if (!Files.isDirectory(real)) throw new IllegalArgumentException("preopen '" + host + "' is not a directory");
            return real;
        } catch (IOException e) {
            throw new IllegalArgumentException("preopen '" + host + "' cannot be opened: " + e.getMessage(),
                    new UncheckedIOException(e));
        }
    }
}
