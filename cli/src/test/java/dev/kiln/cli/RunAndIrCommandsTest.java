package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunAndIrCommandsTest {
    @TempDir
    Path dir;

    private Path module(String wat) throws Exception {
        Path p = dir.resolve("m.wasm");
        Files.write(p, Wat.compile(wat));
        return p;
    }

    @Test
    void invokeParsesArgumentsByTypeAndPrintsResults() throws Exception {
        Path p = module("""
                (module (func (export "f") (param i32 i64 f32 f64) (result i32 i64 f32 f64)
                  (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
                """);
        CliRunner r = CliRunner.run("run", "--invoke", "f", p.toString(), "-1", "-9000000000", "1.5", "0x7ff8000000000001");
        assertEquals(0, r.exit(), r.err());
        assertEquals("-1\n-9000000000\n1.5\nnan:0x8000000000001\n", r.out());
        CliRunner bad = CliRunner.run("run", "--invoke", "f", p.toString(), "x", "1", "1", "1");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("argument 1 'x' is not a valid i32"), bad.err());
    }

    @Test
    void v128ArgumentsAreHexOrLanesAndResultsPrintAsHex() throws Exception {
        Path p = module("""
                (module (func (export "f") (param v128 v128 i32) (result v128 i32)
                  (i32x4.add (local.get 0) (local.get 1)) (local.get 2)))
                """);
        CliRunner r = CliRunner.run("run", "--tier", "interp", "--invoke", "f", p.toString(), "i32x4:1,2,3,-1",
                "0x00000004000000030000000200000001", "7");
        assertEquals(0, r.exit(), r.err());
        assertEquals("0x00000003000000060000000400000002\n7\n", r.out());
        CliRunner floats = CliRunner.run("run", "--tier", "interp", "--invoke", "f", p.toString(), "f32x4:1.5,nan,-0,inf",
                "i8x16:0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", "0");
        assertEquals("0x7f800000800000007fc000003fc00000\n0\n", floats.out(), floats.err());
        CliRunner bad = CliRunner.run("run", "--invoke", "f", p.toString(), "i32x4:1,2,3", "0x1", "0");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("argument 1 'i32x4:1,2,3' is not a valid v128 (i32x4 takes 4 lanes)"), bad.err());
    }

    @Test
    void irPrintsV128ConstantsAndShufflesInTheirTextForm() throws Exception {
        Path p = module("""
                (module (func (export "f") (param v128) (result v128)
                  (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
                    (local.get 0) (v128.const i32x4 1 2 3 0xffffffff))))
                """);
        CliRunner built = CliRunner.run("ir", "--stage", "built", p.toString());
        assertEquals(0, built.exit(), built.err());
        assertTrue(built.out().contains("v128.const i32x4 0x00000001 0x00000002 0x00000003 0xffffffff"), built.out());
        assertTrue(built.out().contains("i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31, v0, v"), built.out());
    }

    @Test
    void withATargetIrShowsWhatItsBackendLowersAfterTheNativeMidEnd() throws Exception {
        Path p = module("""
                (module (func (export "f") (param i32) (result i32)
                  (i32.mul (i32.add (local.get 0) (i32.const 7)) (i32.add (local.get 0) (i32.const 7)))))
                """);
        CliRunner interp = CliRunner.run("ir", p.toString());
        assertEquals(0, interp.exit(), interp.err());
        assertEquals(2, interp.out().split("i32\\.add", -1).length - 1, interp.out()); // the interpreter's pipeline keeps both
        for (String target : new String[] {"x86_64", "aarch64"}) {
            CliRunner nat = CliRunner.run("ir", "--target", target, p.toString());
            assertEquals(0, nat.exit(), nat.err());
            assertEquals(1, nat.out().split("i32\\.add", -1).length - 1, nat.out()); // value numbering made them one
            assertTrue(nat.out().contains("i32.mul v2, v2"), nat.out());
        }
    }

    @Test
    void aTrapPrintsItsKindAndStackAndExitsNonZero() throws Exception {
        Path p = module("(module (func $inner (unreachable)) (func (export \"f\") (call $inner)))");
        CliRunner r = CliRunner.run("run", "--invoke", "f", p.toString());
        assertEquals(RunCommand.TRAP_EXIT, r.exit());
        assertTrue(r.err().contains("wasm trap: unreachable\n  at inner (func 0) at offset 0x"), r.err());
        assertTrue(r.err().contains("  at f (func 1)"), r.err());
    }

    @Test
    void aFailedHostCallIsDescribedInWasmTerms() throws Exception {
        Path p = module("""
                (module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "_start") (drop (call $w (i32.const 1) (i32.const 3) (i32.const 1) (i32.const 8)))))
                """);
        CliRunner r = CliRunner.run("run", "--tier", "interp", p.toString());
        assertEquals(RunCommand.TRAP_EXIT, r.exit());
        assertTrue(r.err().contains("wasm trap: host function wasi_snapshot_preview1.fd_write failed: pointer not aligned to 4: 3"),
                r.err());
        assertTrue(!r.err().contains("dev.kiln") && !r.err().contains("Exception"), r.err());
    }

    @Test
    void withoutInvokeItRunsStart() throws Exception {
        Path p = module("(module (func (export \"_start\") (unreachable)))");
        assertEquals(RunCommand.TRAP_EXIT, CliRunner.run("run", p.toString()).exit());
        Path ok = module("(module (func (export \"_start\")))");
        assertEquals(0, CliRunner.run("run", ok.toString(), "program-arg").exit());
    }

    @Test
    void missingImportsAreNamed() throws Exception {
        Path p = module("(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32))) (import \"env\" \"g\" (global i32)))");
        CliRunner r = CliRunner.run("run", p.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("kiln provides no import named env.g (global)"), r.err()); // WASI is provided
    }

    @Test
    void irPrintsEachStage() throws Exception {
        Path p = module("(module (func $sq (export \"sq\") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))");
        CliRunner built = CliRunner.run("ir", "--stage", "built", p.toString());
        assertEquals(0, built.exit(), built.err());
        assertTrue(built.out().contains("v1 = i32.mul v0, v0"), built.out());
        CliRunner alloc = CliRunner.run("ir", "--stage", "allocated", "--func", "sq", p.toString());
        assertTrue(alloc.out().contains("v1@s0 = i32.mul v0@s0, v0@s0"), alloc.out());
        CliRunner json = CliRunner.run("ir", "--json", "--func", "0", p.toString());
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertEquals("i32.mul", j.at("/0/blocks/0/instructions/0/op").asText());
        assertEquals(1, CliRunner.run("ir", "--func", "nope", p.toString()).exit());
    }

    @Test
    void irHandlesALargeRustProgram() {
        Path rust = SharedData.require("wasi-testsuite/rust/fd_readdir.wasm");
        CliRunner r = CliRunner.run("ir", "--stage", "allocated", rust.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().split("\n").length > 10_000);
    }
}
