package dev.kiln.tests.wasm3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real programs of these tests, built from their sources with Debian's clang at test time. */
final class ClangProgram {
    private ClangProgram() {
    }

    /** Copies the class-path resource {@code resource} into {@code dir} and returns where it is. */
    static Path source(Path dir, String resource) throws IOException {
        Path source = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = ClangProgram.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no resource " + resource);
            Files.write(source, in.readAllBytes());
        }
        return source;
    }

    /** Runs a compiler or linker command; fails with its output when it fails. */
    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (needs Debian's clang, lld, wasi-libc and "
                    + "libclang-rt-14-dev-wasm32, which ./run-tests installs):\n" + log);
        }
    }

    /** The binary of {@code clang FLAGS -o OUT resource}, built in {@code dir}. */
    static byte[] build(Path dir, String resource, List<String> flags) throws IOException, InterruptedException {
        Path source = source(dir, resource);
        Path wasm = dir.resolve(source.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".wasm");
        List<String> cmd = new ArrayList<>(List.of("clang"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-o", wasm.toString(), source.toString()));
        run(cmd);
        return Files.readAllBytes(wasm);
    }
}
