package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No sockets exist: {@code EBADF} for a closed number, {@code ENOTSOCK} for anything else (as wasmtime). */
class SocketTest {
    @TempDir
    Path dir;

    @Test
    void socketCalls() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int file = g.openFile("f", 1);
            long p = g.alloc(8, 4);
            for (int fd : new int[] {0, 1, 2, 3, file}) {
                assertEquals(Errno.ENOTSOCK, g.call("sock_accept", fd, 0, p));
                assertEquals(Errno.ENOTSOCK, g.call("sock_recv", fd, g.alloc(8, 4), 0, 0, p, p + 4));
                assertEquals(Errno.ENOTSOCK, g.call("sock_send", fd, g.alloc(8, 4), 0, 0, p));
                assertEquals(Errno.ENOTSOCK, g.call("sock_shutdown", fd, 3));
            }
            assertEquals(Errno.EBADF, g.call("sock_accept", 42, 0, p));
            assertEquals(Errno.EBADF, g.call("sock_recv", 42, g.alloc(8, 4), 0, 0, p, p + 4));
            assertEquals(Errno.EBADF, g.call("sock_send", 42, g.alloc(8, 4), 0, 0, p));
            assertEquals(Errno.EBADF, g.call("sock_shutdown", 42, 1));
        }
    }
}
