package dev.kiln.cli;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln parse, kiln print, kiln wast, and .wat files given to the commands that take a module. */
class TextCommandsTest {
    @TempDir
    Path dir;

    private static final String FIB = """
            (module
              (func $fib (export "fib") (param $n i32) (result i32)
                (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
                  (then (local.get $n))
                  (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                                 (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
            """;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void runTakesTextByItsContentWhateverItsName() throws Exception {
        CliRunner r = CliRunner.run("run", "--tier", "interp", "--invoke", "fib", file("fib.wat", FIB).toString(), "20");
        assertEquals(0, r.exit(), r.err());
        assertEquals("6765", r.out().strip());
        CliRunner renamed = CliRunner.run("run", "--tier", "interp", "--invoke", "fib", file("fib.wasm", FIB).toString(), "10");
        assertEquals("55", renamed.out().strip(), renamed.err());
        assertEquals(0, CliRunner.run("validate", file("ok.wat", FIB).toString()).exit());
        assertEquals(0, CliRunner.run("inspect", file("i.wat", FIB).toString()).exit());
    }

    @Test
    void textErrorsNameFileLineAndColumn() throws Exception {
        Path bad = file("bad.wat", "(module\n  (func (result i32)\n    (i32.const 1) (br $missing)))\n");
        CliRunner r = CliRunner.run("validate", bad.toString());
        assertEquals(1, r.exit());
        assertEquals(bad + ":3:23: unknown label $missing", r.err().strip());
        assertTrue(CliRunner.run("run", bad.toString()).err().contains(":3:23: unknown label $missing"));
    }

    @Test
    void parseWritesTheBinaryAndPrintGivesTextThatParsesBack() throws Exception {
        Path wat = file("fib.wat", FIB);
        CliRunner p = CliRunner.run("parse", wat.toString());
        assertEquals(0, p.exit(), p.err());
        Path wasm = dir.resolve("fib.wasm");
        Module m = Decoder.decode(Files.readAllBytes(wasm));
        assertEquals("fib", m.names().functionName(0));
        CliRunner printed = CliRunner.run("print", wasm.toString());
        assertEquals(0, printed.exit(), printed.err());
        assertTrue(printed.out().contains("(func $fib (type 0) (param $n i32) (result i32)"), printed.out());
        assertTrue(printed.out().contains("    call $fib\n"), printed.out());
        Path again = file("again.wat", printed.out());
        assertEquals(0, CliRunner.run("parse", again.toString(), "-o", dir.resolve("again.wasm").toString()).exit());
        assertArrayEquals(Files.readAllBytes(wasm), Files.readAllBytes(dir.resolve("again.wasm")));
        CliRunner bad = CliRunner.run("parse", file("bad.wat", "(module (func i32.frob))").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("bad.wat:1:15: expected an instruction, found 'i32.frob'"), bad.err());
        CliRunner junk = CliRunner.run("print", file("junk.wasm", "\0asm").toString());
        assertEquals(1, junk.exit());
        assertTrue(junk.err().contains("malformed module"), junk.err());
    }

    @Test
    void wastRunsScriptsOnEveryTierAndCountsResults() throws Exception {
        Path script = file("s.wast", FIB + """
                (assert_return (invoke "fib" (i32.const 10)) (i32.const 55))
                (assert_trap (module (func (export "f") unreachable) (start 0)) "unreachable")
                (assert_malformed (module quote "(func i32.frob)") "unknown operator")
                (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
                (module (type $s (struct (field i32))) (func (export "g") (result i32) (struct.get $s 0 (struct.new $s (i32.const 1)))))
                (assert_return (invoke "g") (i32.const 1))
                """);
        CliRunner r = CliRunner.run("wast", script.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("passed 7, failed 0, not run 0"), r.out()); // the interpreter runs GC
        CliRunner nat = CliRunner.run("wast", "--tier", "native", script.toString());
        assertEquals(0, nat.exit(), nat.out() + nat.err());
        assertTrue(nat.out().contains("passed 7, failed 0, not run 0"), nat.out()); // and so do the native backends
        Path failing = file("f.wast", FIB + "(assert_return (invoke \"fib\" (i32.const 10)) (i32.const 56))\n");
        CliRunner f = CliRunner.run("wast", "--tier", "interp", failing.toString());
        assertEquals(1, f.exit());
        assertTrue(f.out().contains("f.wast:7: assert_return: result 0: expected i32 56, got i32 55"), f.out());
        assertEquals(2, CliRunner.run("wast", "--tier", "nope", failing.toString()).exit());
    }
}
