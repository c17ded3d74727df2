package dev.kiln.backend.aarch64;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs assembled code as a static Linux AArch64 executable under {@code qemu-aarch64-static}: the
 * code is wrapped in a minimal ELF (one PT_LOAD segment, code at 0x400080) and its exit status is
 * returned. Tests using it are skipped when qemu is not installed.
 */
final class QemuRunner {
    static final String QEMU = "qemu-aarch64-static";
    static final long CODE_ADDRESS = 0x400080;
    private static Boolean available;
    /** What the last run printed (qemu's own errors included). */
    static volatile String lastOutput = "";

    private QemuRunner() {
    }

    static synchronized void assumeAvailable() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(QEMU, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        assumeTrue(available, QEMU + " not installed (Debian: qemu-user-static)");
    }

    /** Emits {@code exit(w0)}: the exit_group system call with the status in w0. */
    static void exitWithW0(A64Assembler a) {
        a.mov(GeneralRegister.X8, 94);
        a.emit(0xD4000001, () -> "svc\t#0x0");
    }

    /** Emits {@code exit(status)}. */
    static void exit(A64Assembler a, int status) {
        a.mov(GeneralRegister.X0, status);
        exitWithW0(a);
    }

    /** Runs {@code code} (entered at offset 0, no relocations) and returns its exit status. */
    static int run(byte[] code) {
        byte[] elf = elf(code);
        try {
            Path file = Files.createTempFile("kiln-a64-", ".elf");
            try {
                Files.write(file, elf);
                if (!file.toFile().setExecutable(true)) { // qemu-user refuses files without execute permission
                    throw new IOException("cannot make " + file + " executable");
                }
                Process p = new ProcessBuilder(QEMU, file.toString()).redirectErrorStream(true).start();
                lastOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("qemu timed out");
                }
                return p.exitValue();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    static byte[] elf(byte[] code) {
        long base = CODE_ADDRESS - 0x80;
        ByteBuffer b = ByteBuffer.allocate(0x80 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 183).putInt(1).putLong(CODE_ADDRESS).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(0).putLong(base).putLong(base)
                .putLong(0x80 + code.length).putLong(0x80 + code.length).putLong(0x1000);
        b.position(0x80);
        b.put(code);
        return b.array();
    }
}
