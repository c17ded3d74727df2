package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.HostFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad guest arguments trap, as in wasmtime, instead of returning {@code EFAULT}/{@code EINVAL}:
 * pointers outside memory ({@code OUT_OF_BOUNDS_MEMORY}), misaligned typed pointers, undefined enum
 * and flag values ({@code HOST_ERROR} caused by a {@link GuestFault}). Nothing happens on the host
 * before such a trap.
 */
class GuestFaultTest {
    @TempDir
    Path dir;

    private static void traps(TrapKind kind, Executable call) {
        TrapException t = assertThrows(TrapException.class, call);
        assertEquals(kind, t.kind);
        if (kind == TrapKind.HOST_ERROR) assertInstanceOf(GuestFault.class, t.getCause());
    }

    @Test
    void outOfBoundsPointersTrap() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long end = g.memory.byteSize();
            long n = g.alloc(4, 4);
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_write", 1, end, 1, n));
            long iov = FileIoTest.iov(g, end - 2, 4);
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_write", 1, iov, 1, n));
            assertEquals("", g.stdoutText(), "nothing was written before the trap");
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_write", 1, g.alloc(8, 4), 1, end));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_fdstat_get", 1, end - 8));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("path_create_directory", 3, end - 1, 5));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_readdir", 3, end - 10, 100, 0, n));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("poll_oneoff", end - 8, g.alloc(32, 8), 1, n));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_write", 1, 0xFFFF_FFF8L, 1, n));
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("fd_write", 1, -8L, 1, n));
        }
    }

    @Test
    void nothingIsCreatedWhenTheResultPointerIsBad() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            TestGuest.Str p = g.str("created");
            traps(TrapKind.OUT_OF_BOUNDS_MEMORY, () -> g.invoke("path_open", 3, 0, p.ptr(), p.len(), 1, 0, 0, 0, g.memory.byteSize()));
            assertFalse(Files.exists(dir.resolve("created")));
        }
    }

    @Test
    void misalignedTypedPointersTrap() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long p = g.alloc(64, 8);
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_write", 1, p + 1, 1, g.alloc(4, 4)));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_write", 1, g.alloc(8, 4), 0, p + 2));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_tell", 1, p + 4));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_filestat_get", 1, p + 4));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_prestat_get", 3, p + 2));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("poll_oneoff", p + 4, g.alloc(32, 8), 1, g.alloc(4, 4)));
        }
    }

    @Test
    void badDescriptorWinsOverABadResultPointer() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            assertEquals(Errno.EBADF, g.call("fd_tell", 99, g.alloc(8, 8)));
            assertEquals(Errno.EBADF, g.call("fd_filestat_get", 99, g.alloc(64, 8)));
        }
    }

    @Test
    void undefinedEnumAndFlagArgumentsTrap() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            int fd = g.openFile("f", 1);
            TestGuest.Str s = g.str("f");
            long out = g.alloc(64, 8);
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_seek", fd, 0, 3, out));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_advise", fd, 0, 0, 6));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_fdstat_set_flags", fd, 0x20));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_fdstat_set_flags", fd, 0x10001));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("fd_filestat_set_times", fd, 0, 0, 0x10));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("path_open", 3, 2, s.ptr(), s.len(), 0, 0, 0, 0, out));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("path_open", 3, 0, s.ptr(), s.len(), 16, 0, 0, 0, out));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("path_open", 3, 0, s.ptr(), s.len(), 0, 0, 0, 32, out));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("path_filestat_get", 3, 4, s.ptr(), s.len(), out));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("sock_shutdown", 1, 4));
            traps(TrapKind.HOST_ERROR, () -> g.invoke("sock_recv", 1, 0, 0, 4, 0, 0));
        }
    }

    @Test
    void undefinedValuesInsideSubscriptionsAreEinval() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long sub = g.alloc(48, 8);
            g.memory.writeByte(sub + 8, (byte) 9);
            assertEquals(Errno.EINVAL, g.call("poll_oneoff", sub, g.alloc(32, 8), 1, g.alloc(4, 4)));
        }
    }

    @Test
    void invalidUtf8PathsAreEilseq() {
        try (TestGuest g = TestGuest.inDirectory(dir)) {
            long bad = g.bytes(new byte[] {(byte) 0xC3, (byte) 0x28});
            assertEquals(Errno.EILSEQ, g.call("path_create_directory", 3, bad, 2));
        }
    }

    @Test
    void aModuleWithoutMemoryTrapsOnlyWhenMemoryIsNeeded() throws Exception {
        try (WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().build())) {
            HostFunction close = null;
            HostFunction tell = null;
            for (HostFunction f : wasi.hostFunctions()) {
                if (f.name().equals("fd_close")) close = f;
                if (f.name().equals("fd_tell")) tell = f;
            }
            assertEquals(Errno.EBADF.code, close.implementation().call(TestGuest.callerOf(null), new long[] {9})[0]);
            HostFunction t = tell;
            traps(TrapKind.HOST_ERROR, () -> t.implementation().call(TestGuest.callerOf(null), new long[] {1, 8}));
        }
    }
}
