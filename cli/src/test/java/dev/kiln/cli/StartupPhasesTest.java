package dev.kiln.cli;

import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The phase timer bench/startup-phases.sh reads: with KILN_PHASES set, {@code kiln run} prints one line at
 * the first Wasm instruction, with the main thread's CPU per phase from {@code main} on and the threads'
 * CPU; without it, nothing.
 */
class StartupPhasesTest {
    @TempDir
    Path dir;

    private String stderr(Path module, boolean phases) throws Exception {
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.Main",
                "run", "--tier", "interp", "--invoke", "f", module.toString()));
        ProcessBuilder b = new ProcessBuilder(java);
        if (phases) b.environment().put("KILN_PHASES", "1");
        else b.environment().remove("KILN_PHASES");
        Process p = b.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("42\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstInstructionReportsThePhasesOnlyWhenAskedTo() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "Linux's per-thread CPU times");
        Path module = dir.resolve("m.wasm");
        Files.write(module, Wat.compile("(module (func (export \"f\") (result i32) (i32.const 42)))"));
        String err = stderr(module, true);
        List<String> lines = err.lines().filter(l -> l.startsWith("kiln-phases {")).toList();
        assertEquals(1, lines.size(), err);
        String report = lines.get(0);
        for (String key : List.of("\"uptimeMillis\":", "\"mainCpuMillis\":", "\"processCpuMillis\":", "\"phases\":{\"main\":",
                "\"args\":", "\"engine\":", "\"instance\":", "\"first\":", "\"threads\":{")) {
            assertTrue(report.contains(key), key + " in " + report);
        }
        assertFalse(report.contains("\"mainCpuMillis\":0.0"), report);
        assertEquals("", stderr(module, false), "no report unless asked for");
    }
}
