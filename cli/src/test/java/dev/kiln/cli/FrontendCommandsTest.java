package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontendCommandsTest {
    @TempDir
    Path dir;

    private Path module(String name, String wat) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, Wat.compile(wat));
        return p;
    }

    @Test
    void validateReportsEachFileAndExitsNonZeroOnAnyBadOne() throws Exception {
        Path good = module("good.wasm", "(module (func (export \"f\") (result i32) (i32.const 1)))");
        Path bad = module("bad.wasm", "(module (func (result i32) (i64.const 1)))");
        CliRunner r = CliRunner.run("validate", good.toString(), bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("good.wasm: valid"), r.out());
        assertTrue(r.err().contains("bad.wasm: invalid module: type mismatch"), r.err());
        assertTrue(r.err().contains("at offset 0x"), r.err());
        assertEquals(0, CliRunner.run("validate", good.toString()).exit());
    }

    @Test
    void aBranchHintOnAnotherInstructionIsAWarningNotAnInvalidModule() throws Exception {
        Path hinted = dir.resolve("hinted.wat");
        Files.writeString(hinted, "(module (func (param i32) (result i32) local.get 0 (@metadata.code.branch_hint \"\\01\") i32.eqz))");
        CliRunner r = CliRunner.run("validate", hinted.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("hinted.wat: valid"), r.out());
        assertTrue(r.err().contains("warning: custom section metadata.code.branch_hint ignored: branch hints: invalid target: "
                + "function 0 offset 3 is i32.eqz, not if or br_if at offset 0x"), r.err());
    }

    @Test
    void badFilesGetOneLineErrorsNotStackTraces() throws Exception {
        Path junk = dir.resolve("junk.wasm");
        Files.write(junk, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 99});
        CliRunner r = CliRunner.run("validate", junk.toString(), dir.resolve("missing.wasm").toString(), dir.toString());
        assertEquals(1, r.exit());
        String[] lines = r.err().strip().split("\n");
        assertEquals(3, lines.length, r.err());
        assertTrue(lines[0].contains("malformed module") && lines[0].contains("offset 0x"), lines[0]);
        assertTrue(lines[1].endsWith("no such file"), lines[1]);
        assertTrue(lines[2].endsWith("is a directory, not a module file"), lines[2]);
    }

    @Test
    void inspectShowsFunctionsWithNamesAndBodySizes() throws Exception {
        Path p = module("m.wasm", """
                (module (import "env" "log" (func $log (param i32)))
                  (memory 1) (global (mut i32) (i32.const 0))
                  (func $main (export "main") (call $log (i32.const 42))))
                """);
        CliRunner r = CliRunner.run("inspect", p.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("[0] log  imported"), r.out());
        assertTrue(r.out().contains("[1] main  type 1"), r.out());
        assertTrue(r.out().contains("func   env.log"), r.out());
        assertTrue(r.out().contains("func   \"main\" -> 1"), r.out());
    }

    @Test
    void inspectJsonIsMachineReadable() throws Exception {
        Path p = module("m.wasm", "(module (func $f (export \"f\") (param i32) (local i64 i64)))");
        CliRunner r = CliRunner.run("inspect", "--json", p.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("f", j.at("/functions/0/name").asText());
        assertEquals(2, j.at("/functions/0/locals").asInt());
        assertEquals("(func (param i32))", j.at("/types/0").asText());
        assertEquals("code", j.at("/sections/3/id").asText());
    }

    @Test
    void everyCommandHasHelpAndUsageErrorsExitTwo() {
        for (String c : new String[] {"validate", "inspect"}) {
            CliRunner r = CliRunner.run(c, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().startsWith("usage: kiln " + c), r.out());
        }
        assertEquals(2, CliRunner.run("inspect").exit());
        assertEquals(2, CliRunner.run("frobnicate").exit());
        assertEquals(2, CliRunner.run().exit());
    }
}
