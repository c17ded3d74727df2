package dev.kiln.runtime.wasi;

import static dev.kiln.runtime.wasi.WasiFunctionSet.fd;
import static dev.kiln.runtime.wasi.WasiFunctionSet.flags;

/**
 * {@code sock_accept}, {@code sock_recv}, {@code sock_send}, {@code sock_shutdown}. No socket is
 * ever preopened or opened, so, as in wasmtime, each fails with {@code EBADF} for a descriptor that
 * is not open and {@code ENOTSOCK} for any other; flag arguments are still validated (trap).
 */
final class SocketFunctions {
    private final FdTable table;

    SocketFunctions(FdTable table) {
        this.table = table;
    }

    void register(WasiFunctionSet set) {
        set.add("sock_accept", "iii", (m, a) -> {
            flags(a[1], WasiAbi.FDFLAGS_ALL, "fdflags");
            notASocket(a[0]);
        });
        set.add("sock_recv", "iiiiii", (m, a) -> {
            flags(a[3], WasiAbi.RIFLAGS_ALL, "riflags");
            notASocket(a[0]);
        });
        set.add("sock_send", "iiiii", (m, a) -> notASocket(a[0])); // siflags is a plain u16: no check
        set.add("sock_shutdown", "ii", (m, a) -> {
            flags(a[1], WasiAbi.SDFLAGS_ALL, "sdflags");
            notASocket(a[0]);
        });
    }

    private void notASocket(long fd) {
        table.get(fd(fd));
        throw new ErrnoException(Errno.ENOTSOCK);
    }
}
