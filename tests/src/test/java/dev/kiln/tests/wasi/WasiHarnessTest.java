package dev.kiln.tests.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WASI suite runner itself: specifications, fresh copies, verdicts, the report, the time limit. */
class WasiHarnessTest {
    @TempDir
    Path dir;

    @Test
    void plainFormWithDefaults() throws Exception {
        WasiSpec d = WasiSpec.parse("{}");
        assertEquals(List.of(), d.args());
        assertEquals(0, d.exitCode());
        assertNull(d.stdout(), "stdout is checked only when stated");
        assertNull(d.root());
        WasiSpec s = WasiSpec.parse("""
                {"args": ["a", "b c"], "env": {"Z": "1", "A": "new\\nline"}, "root": "fs-tests.dir",
                 "exit_code": 33, "stdout": "out", "stderr": "err"}""");
        assertEquals(List.of("a", "b c"), s.args());
        assertEquals(List.of("Z", "A"), List.copyOf(s.env().keySet()), "file order");
        assertEquals("new\nline", s.env().get("A"));
        assertEquals("fs-tests.dir", s.root());
        assertEquals(33, s.exitCode());
        assertEquals("out", s.stdout());
        assertEquals("err", s.stderr());
    }

    @Test
    void operationsForm() throws Exception {
        WasiSpec s = WasiSpec.parse("""
                {"proposals": [], "operations": [
                  {"type": "run", "args": ["x"], "env": {"K": "V"}, "root": "fs-tests.dir"},
                  {"type": "read", "id": "stdout", "payload": "hello "},
                  {"type": "read", "id": "stdout", "payload": "world"},
                  {"type": "read", "id": "stderr", "payload": "warn"},
                  {"type": "wait", "exit_code": 3}]}""");
        assertNull(s.notApplicable());
        assertEquals(List.of("x"), s.args());
        assertEquals(Map.of("K", "V"), s.env());
        assertEquals("fs-tests.dir", s.root());
        assertEquals("hello world", s.stdout());
        assertEquals("warn", s.stderr());
        assertEquals(3, s.exitCode());
    }

    @Test
    void networkCasesAreNotApplicableWithTheReason() throws Exception {
        WasiSpec sockets = WasiSpec.parse("""
                {"operations": [{"type": "run"}, {"type": "connect", "protocol_type": "tcp"},
                  {"type": "send", "payload": "x"}, {"type": "recv", "payload": "x"}, {"type": "wait"}]}""");
        assertEquals("needs a network peer (operations connect, send, recv)", sockets.notApplicable());
        WasiSpec http = WasiSpec.parse("{\"proposals\": [\"http\"], \"operations\": [{\"type\": \"run\"}]}");
        assertEquals("needs proposal(s) http, which WASI preview 1 does not have", http.notApplicable());
    }

    @Test
    void unknownKeysAndOperationsAreRejectedNotIgnored() {
        assertThrows(IllegalArgumentException.class, () -> WasiSpec.parse("{\"dirs\": [\"fs-tests.dir\"]}"));
        assertThrows(IllegalArgumentException.class, () -> WasiSpec.parse("{\"operations\": [{\"type\": \"run\"}, {\"type\": \"kill\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> WasiSpec.parse("{\"operations\": [{\"type\": \"wait\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> WasiSpec.parse("{\"exit_code\": \"0\"}"));
        assertThrows(IllegalArgumentException.class, () -> WasiSpec.parse(
                "{\"operations\": [{\"type\": \"run\"}, {\"type\": \"read\", \"id\": \"fd9\", \"payload\": \"\"}]}"));
    }

    @Test
    void aFreshCopyIsWritableLeavesOutOtherProgramsAndHasNoCleanups() throws Exception {
        Path suite = Files.createDirectories(dir.resolve("suite/rust"));
        Files.write(suite.resolve("a.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.write(suite.resolve("b.wasm"), new byte[] {0, 'a', 's', 'm'});
        Path fs = Files.createDirectories(suite.resolve("fs-tests.dir/sub"));
        Files.writeString(fs.resolve("file"), "data");
        Files.createDirectories(fs.resolve("left.cleanup/inner"));
        Files.writeString(fs.getParent().resolve("also.cleanup"), "x");
        Files.createSymbolicLink(fs.resolve("link"), Path.of("file"));
        Files.createSymbolicLink(fs.resolve("dangling.cleanup"), Path.of("/nonexistent"));
        fs.resolve("file").toFile().setWritable(false);
        fs.toFile().setWritable(false);
        try {
            Path copy = WasiCase.of(suite, "a").freshCopy(Files.createDirectories(dir.resolve("work")));
            assertEquals(dir.resolve("work/rust"), copy);
            assertTrue(Files.exists(copy.resolve("a.wasm")));
            assertFalse(Files.exists(copy.resolve("b.wasm")), "other programs are not copied");
            assertEquals("data", Files.readString(copy.resolve("fs-tests.dir/sub/file")));
            assertTrue(Files.isWritable(copy.resolve("fs-tests.dir/sub")), "copies are writable");
            assertEquals(Path.of("file"), Files.readSymbolicLink(copy.resolve("fs-tests.dir/sub/link")));
            assertFalse(Files.exists(copy.resolve("fs-tests.dir/sub/left.cleanup")));
            assertFalse(Files.exists(copy.resolve("fs-tests.dir/also.cleanup")));
            assertFalse(Files.exists(copy.resolve("fs-tests.dir/sub/dangling.cleanup"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(fs.resolve("left.cleanup")), "the original is untouched");
        } finally {
            fs.toFile().setWritable(true);
        }
    }

    @Test
    void notApplicableCasesAreReportedByNameWithTheReason() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("suite/c"));
        Files.write(folder.resolve("sockets.wasm"), Wat.compile("(module (func (export \"_start\")))"));
        Files.writeString(folder.resolve("sockets.json"), """
                {"operations": [{"type": "run"}, {"type": "connect", "protocol_type": "tcp"}, {"type": "wait"}]}""");
        WasiCase c = WasiCase.of(folder, "sockets");
        WasiOutcome o = WasiSuite.run(c, WasiTier.INTERP, Duration.ofSeconds(30));
        assertEquals(WasiOutcome.Status.NOT_APPLICABLE, o.status());
        WasiReport report = new WasiReport(dir.resolve("suite"), List.of(WasiTier.INTERP), Map.of());
        report.add(o);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("c/sockets: needs a network peer (operations connect)"), text.toString());
        Path json = dir.resolve("report.json");
        report.write(json);
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals("needs a network peer (operations connect)", r.at("/not_applicable/c~1sockets").asText());
        assertEquals("not applicable", r.at("/cases/c~1sockets/interp/status").asText());
        assertEquals(1, r.at("/tiers/interp/not_applicable").asInt());
        assertEquals(0, r.at("/tiers/interp/failed").asInt());
    }

    @Test
    void verdictsCompareExitStatusAndStatedOutputs() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("suite/c"));
        Files.write(folder.resolve("hello.wasm"), Wat.compile("""
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 64) "hello")
                  (func (export "_start")
                    (i32.store (i32.const 16) (i32.const 64))
                    (i32.store (i32.const 20) (i32.const 5))
                    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
                    (call $exit (i32.const 4))))
                """));
        Files.writeString(folder.resolve("hello.json"), "{\"exit_code\": 4, \"stdout\": \"hello\"}");
        for (WasiTier tier : WasiTier.available()) {
            WasiOutcome pass = WasiSuite.run(WasiCase.of(folder, "hello"), tier, Duration.ofSeconds(30));
            assertEquals(WasiOutcome.Status.PASSED, pass.status(), pass.reason());
            assertEquals(2, pass.result().hostCalls());
        }
        Files.writeString(folder.resolve("hello.json"), "{\"exit_code\": 0, \"stdout\": \"hellO\"}");
        WasiOutcome fail = WasiSuite.run(WasiCase.of(folder, "hello"), WasiTier.INTERP, Duration.ofSeconds(30));
        assertEquals(WasiOutcome.Status.FAILED, fail.status());
        assertEquals("exit status 4, expected 0\nstdout \"hello\", expected \"hellO\"", fail.reason());
        Files.writeString(folder.resolve("hello.json"), "{\"stdout_length\": 5, \"stdout_sha256\": \""
                + WasiOutcome.sha256("hello".getBytes(StandardCharsets.UTF_8)) + "\", \"exit_code\": 4}");
        assertEquals(WasiOutcome.Status.PASSED, WasiSuite.run(WasiCase.of(folder, "hello"), WasiTier.INTERP, Duration.ofSeconds(30)).status());
    }

    /** A program that never ends (polling the monotonic clock) against a 1 s limit: it fails, and its thread is stopped. */
    @Test
    void aCaseOverTheTimeLimitFails() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("suite/c"));
        Files.write(folder.resolve("slow.wasm"), Wat.compile("""
                (module
                  (import "wasi_snapshot_preview1" "clock_time_get" (func $now (param i32 i64 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "_start") (local $start i64)
                    (drop (call $now (i32.const 1) (i64.const 0) (i32.const 0)))
                    (local.set $start (i64.load (i32.const 0)))
                    (loop $spin
                      (drop (call $now (i32.const 1) (i64.const 0) (i32.const 0)))
                      (br_if $spin (i64.ge_u (i64.sub (i64.load (i32.const 0)) (local.get $start)) (i64.const 0))))))
                """));
        WasiOutcome o = WasiSuite.run(WasiCase.of(folder, "slow"), WasiTier.INTERP, Duration.ofSeconds(1));
        assertEquals(WasiOutcome.Status.FAILED, o.status());
        assertEquals("timed out after 1 s (time limit per case)", o.reason());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("wasi-slow.wasm")),
                "the interrupted program's thread ended");
    }
}
