package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Descriptors 0, 1, 2: streams given in the configuration, their fdstat and filestat. */
class StdioTest {
    @Test
    void writesGoToTheirStreamsUnbuffered() {
        try (TestGuest g = new TestGuest(WasiConfig.builder(), new byte[0])) {
            g.writeAll(1, "out ");
            g.writeAll(2, "err");
            g.writeAll(1, "more");
            assertEquals("out more", g.stdoutText());
            assertEquals("err", g.stderrText());
            assertEquals(Errno.EBADF, g.write(0, new byte[] {1}), "stdin is not writable");
            g.read(1, 1);
            assertEquals(Errno.EBADF, g.lastErrno, "stdout is not readable");
        }
    }

    @Test
    void readsComeFromStdinUntilItEnds() {
        byte[] input = "line one\nline two\n".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        try (TestGuest g = new TestGuest(WasiConfig.builder(), input)) {
            StringBuilder got = new StringBuilder();
            while (true) {
                byte[] b = g.read(0, 7000);
                assertEquals(Errno.SUCCESS, g.lastErrno);
                if (b.length == 0) break;
                got.append(new String(b, StandardCharsets.US_ASCII));
            }
            assertEquals(new String(input, StandardCharsets.US_ASCII), got.toString());
        }
    }

    @Test
    void fdstatAndFilestat() {
        try (TestGuest g = new TestGuest(WasiConfig.builder(), new byte[0])) {
            for (int fd = 0; fd < 3; fd++) {
                long[] st = g.fdstat(fd);
                assertEquals(0, st[0], "not a terminal: filetype unknown (as wasmtime)");
                assertEquals(0, st[1]);
                assertEquals(Errno.SUCCESS, g.fstat(fd));
                assertEquals(0, g.statFiletype());
                assertEquals(0, g.statIno());
                assertEquals(0, g.statSize());
            }
        }
        try (TestGuest g = new TestGuest(WasiConfig.builder().stdioTerminal(true), new byte[0])) {
            assertEquals(2, g.fdstat(1)[0], "told to be a terminal: character device");
        }
        try (WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().stdioTerminal(false).build())) {
            ByteArrayMemory m = new ByteArrayMemory(1);
            long[] r = wasi.hostFunctions().stream().filter(f -> f.name().equals("fd_fdstat_get")).findFirst()
                    .orElseThrow().implementation().call(TestGuest.callerOf(m), new long[] {1, 64});
            assertEquals(0, r[0]);
            assertEquals(0, m.readByte(64), "inherited stdout said not to be a terminal");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stdioIsNotSeekableOrAFile() {
        try (TestGuest g = new TestGuest(WasiConfig.builder(), new byte[0])) {
            long p = g.alloc(8, 8);
            assertEquals(Errno.ESPIPE, g.call("fd_tell", 1, p));
            assertEquals(Errno.EBADF, g.call("fd_filestat_set_size", 1, 0));
            assertEquals(Errno.EBADF, g.call("fd_fdstat_set_flags", 1, 1));
            assertEquals(Errno.EBADF, g.call("fd_allocate", 0, 0, 1));
        }
    }
}
